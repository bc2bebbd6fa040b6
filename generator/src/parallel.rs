//! Work spread over the machine's cores, with results in the order of the input: the build's
//! output must not depend on which thread finished first.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` of every item, on as many threads as the machine has cores (one where it has one, or
/// for a single item), returned in the order of `items`. Items are handed out one at a time,
/// so a thread that drew a large one does not hold up the others. A panic in `f` is passed on.
pub fn map_in_order<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let order: Vec<usize> = (0..items.len()).collect();
    map_in_given_order(items, &order, f)
}

/// As [`map_in_order`], but the items are handed out costliest first by `cost` (an estimate:
/// ties keep the items' order), and the results still come back in the order of `items`. When
/// the costliest item is handed out last, one core works through it alone while the others
/// wait: rendering a library's documents in their order left one of two cores idle for the
/// last tenth of the phase (100-document library, `perf` samples per thread over time).
pub fn map_costliest_first<T: Sync, R: Send>(
    items: &[T],
    cost: impl Fn(&T) -> usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    let costs: Vec<usize> = items.iter().map(cost).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(costs[i]));
    map_in_given_order(items, &order, f)
}

/// `f` of every item, handed out to the threads in `order` (a permutation of the indices of
/// `items`), returned in the order of `items`.
fn map_in_given_order<T: Sync, R: Send>(
    items: &[T],
    order: &[usize],
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
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
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&i) = order.get(k) else {
                            break mine;
                        };
                        mine.push((i, f(&items[i])));
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
    use super::{map_costliest_first, map_in_order};

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

    #[test]
    fn costliest_first_still_returns_results_in_the_order_of_the_items() {
        let items: Vec<u64> = (0..200).collect();
        // Costs that put the items in a different order from their own.
        let got = map_costliest_first(&items, |&n| ((n * 37) % 101) as usize, |&n| n * n);
        let want: Vec<u64> = items.iter().map(|&n| n * n).collect();
        assert_eq!(got, want);
        assert!(map_costliest_first(&[] as &[u64], |_| 0, |&n| n).is_empty());
    }
}
