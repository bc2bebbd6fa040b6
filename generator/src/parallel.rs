//! Work spread over the machine's cores, with results in the order of the input: the build's
//! output must not depend on which thread finished first.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` of every item, on as many threads as the machine has cores (one where it has one, or
/// for a single item), returned in the order of `items`. Items are handed out one at a time,
/// so a thread that drew a large one does not hold up the others. A panic in `f` is passed on.
pub fn map_in_order<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else {
                            break mine;
                        };
                        mine.push((i, f(item)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::map_in_order;

    #[test]
    fn results_come_back_in_the_order_of_the_items() {
        // Uneven work, so that on several cores the threads finish out of order.
        let items: Vec<u64> = (0..200).rev().collect();
        let got = map_in_order(&items, |&n| (0..n * 1000).fold(n, |a, b| a ^ b) ^ n);
        let want: Vec<u64> = items
            .iter()
            .map(|&n| (0..n * 1000).fold(n, |a, b| a ^ b) ^ n)
            .collect();
        assert_eq!(got, want);
        assert!(map_in_order(&[] as &[u64], |&n| n).is_empty());
    }
}
