/* Bilingual search of the policy site, run in the browser from the files in dist/search/
 * (written by generator/src/search/). The text rules (normalise, stem, stop words, shard hash)
 * are twins of generator/src/search/text.rs, held together by generator/tests/search_twins.rs;
 * generator/tests/search.rs runs this very file under node against the built index, over
 * tests/search/queries.yaml.
 *
 * A query is split against the index's own vocabulary: Chinese into the longest words the
 * fetched shards know (集货仓, 台州海关), else bigrams; English into stemmed words. Synonyms
 * (content/search-synonyms.yaml) add what the text says instead (物流补贴 → 物流费用). Each
 * part of the query scores by BM25 impacts precomputed at build time; documents matching more
 * of the parts rank higher, and none needs to match them all (more: bench/search/RESULTS.md). */
(function () {
  'use strict';

  // ---- Text: twins of generator/src/search/text.rs ------------------------------------------
  var CJK = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u3007]/;
  var WORD = /[a-z0-9\u00C0-\u024F]/;

  // Lowercased as Rust does, per character: the whole string at once gives the same but for a
  // final Σ (ς, not σ), so only a string holding Σ takes the slow way. Full-width capitals
  // lowercase to full-width small letters, mapped then as the capitals would be.
  function normalize(s) {
    var out = '';
    if (s.indexOf('\u03a3') < 0) out = s.toLowerCase();
    else for (var ch of s) out += ch.toLowerCase();
    return out.replace(/[\uff01-\uff5e\u3000]/g, function (c) { return c > '\u3000' ? String.fromCharCode(c.charCodeAt(0) - 0xfee0) : ' '; })
      .replace(/(\d),(?=\d{3}(?!\d))/g, '$1');
  }

  /** [{cjk: bool, text}] runs of Chinese characters and Latin words. */
  function runs(norm) {
    var out = [], cur = '', kind = 0;
    for (var ch of norm) {
      var k = CJK.test(ch) ? 1 : WORD.test(ch) ? 2 : 0;
      if (k !== kind && cur) { out.push({ cjk: kind === 1, text: cur }); cur = ''; }
      kind = k;
      if (k) cur += ch;
    }
    if (cur) out.push({ cjk: kind === 1, text: cur });
    return out;
  }

  /** Twin of Simplifier::fold. */
  function fold(s, map) {
    if (!map) return s;
    var out = '';
    for (var ch of s) out += map.get(ch) || ch;
    return out;
  }

  /** t2s.txt (traditional, simplified, pair after pair) as a Map. */
  function pairs(text) {
    var c = chars(text), map = new Map();
    for (var i = 0; i + 1 < c.length; i += 2) map.set(c[i], c[i + 1]);
    return map;
  }

  /** Whether `a` and `b` are at most one edit apart (insert, delete, replace, swap). */
  function oneEdit(a, b) {
    if (a === b) return true;
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  function ends(w, s) { return w.slice(-s.length) === s; }
  function undouble(w) {
    var n = w.length;
    return n >= 2 && w[n - 1] === w[n - 2] && 'lszeo'.indexOf(w[n - 1]) < 0 ? w.slice(0, -1) : w;
  }
  function stem(w) {
    if (!/^[a-z]+$/.test(w) || w.length <= 3) return w;
    if (ends(w, 'ies') && w.length > 4) w = w.slice(0, -3) + 'y';
    else if (ends(w, 'sses') || ends(w, 'xes') || ends(w, 'ches') || ends(w, 'shes')) w = w.slice(0, -2);
    else if (ends(w, 's') && !ends(w, 'ss') && !ends(w, 'us') && !ends(w, 'is')) w = w.slice(0, -1);
    if (ends(w, 'ing') && w.length > 5) w = undouble(w.slice(0, -3));
    else if (ends(w, 'ied') && w.length > 4) w = w.slice(0, -3) + 'y';
    else if (ends(w, 'ed') && w.length > 4) w = undouble(w.slice(0, -2));
    if (ends(w, 'e') && w.length > 4) w = w.slice(0, -1);
    return w;
  }
  function wordTerm(w, stop) {
    if (stop.has(w)) return null;
    if (w.length === 1 && !/[0-9]/.test(w)) return null;
    return stem(w);
  }
  function chars(s) { return Array.from(s); }
  function bigrams(run) {
    var c = chars(run);
    if (c.length === 1) return [run];
    var out = [];
    for (var i = 0; i + 1 < c.length; i++) out.push(c[i] + c[i + 1]);
    return out;
  }
  var enc = typeof TextEncoder !== 'undefined' ? new TextEncoder() : null;
  function fnv1a(s) {
    var bytes = enc.encode(s), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }
  function shardOf(term, n) {
    var c = chars(term);
    var key = c.length >= 2 && CJK.test(c[0]) && CJK.test(c[1]) ? c[0] + c[1] : term;
    return fnv1a(key) % n;
  }

  // ---- Engine ---------------------------------------------------------------------------------
  /** An engine over the index at `base` (".../search/"); fetchText(url) -> Promise<string>. */
  function Engine(base, fetchText) {
    this.base = base;
    this.fetchText = fetchText;
    this.shards = new Map();
    this.chunks = new Map();
    this.loaded = new Map();
    this.hash = new Map();
    this.cache = new Map();
    this.phrases = new Map();
    this.records = new Map();
  }

  Engine.prototype.load = function () {
    var self = this;
    if (!this.ready) {
      this.ready = this.fetchText(this.base + 'meta.json').then(function (t) {
        var m = JSON.parse(t);
        self.meta = m;
        // The dates each version's documents are in force: [first doc, count, from, until].
        self.ranges = new Map();
        (m.versions || []).forEach(function (v) { for (var i = 0; i < v[1]; i++) self.ranges.set(v[0] + i, [v[2], v[3]]); });
        self.stop = new Set(m.stop);
        self.syn = new Map(); // atom key -> expansions
        self.synMax = 1;
        m.syn.forEach(function (g) {
          g[0].forEach(function (w) {
            var a = self.atoms(w);
            if (!a.length) return;
            self.syn.set(key(a), g[1]);
            self.synMax = Math.max(self.synMax, a.length);
          });
        });
        // Words that ask about money, written as asksAmount() writes the query.
        self.amountKeys = ((m.amount || {}).words || []).map(function (w) {
          var rs = runs(normalize(w));
          return rs.length === 1 && rs[0].cjk ? { cjk: true, text: rs[0].text } : { cjk: false, text: ' ' + rs.map(function (r) { return stem(r.text); }).join(' ') + ' ' };
        });
        self.wholeOf = new Map(); // a clause -> its item
        (m.parts || []).forEach(function (g) { for (var i = 1; i < g.length; i++) self.wholeOf.set(g[i], g[0]); });
      });
    }
    return this.ready;
  };

  function key(atoms) { return atoms.map(function (a) { return a.v; }).join('\u0001'); }

  /** A query as atoms: Chinese characters and Latin terms (`n`: its length as typed), with their run. */
  Engine.prototype.atoms = function (text) {
    var out = [], stop = this.stop;
    runs(normalize(text)).forEach(function (r, ri) {
      if (r.cjk) chars(r.text).forEach(function (c) { out.push({ cjk: true, v: c, run: ri }); });
      else {
        var t = wordTerm(r.text, stop);
        if (t) out.push({ cjk: false, v: t, run: ri, n: r.text.length });
      }
    });
    return out;
  };

  /** Whether the query holds one of meta.json's words that ask about money. */
  Engine.prototype.asksAmount = function (q) {
    var rs = runs(normalize(q));
    var all = ' ' + rs.map(function (r) { return r.cjk ? r.text : stem(r.text); }).join(' ') + ' ';
    return this.amountKeys.some(function (k) { return all.indexOf(k.text) >= 0; });
  };

  /** Fetches a file of the index once; resolves to its text. */
  Engine.prototype.file = function (name) {
    this.files = this.files || new Map();
    if (!this.files.has(name)) this.files.set(name, this.fetchText(this.base + name));
    return this.files.get(name);
  };

  /** Fetches the shards of `terms` (a Set). */
  Engine.prototype.fetchTerms = function (terms) {
    var self = this, need = [];
    terms.forEach(function (t) {
      var k = self.shardNo(t);
      if (!self.loaded.has(k) && need.indexOf(k) < 0) need.push(k);
    });
    return Promise.all(need.map(function (k) { return self.shard(k); }));
  };

  /** The shard of a term, hashed once per term. */
  Engine.prototype.shardNo = function (t) {
    var k = this.hash.get(t);
    if (k === undefined) this.hash.set(t, k = shardOf(t, this.meta.shards));
    return k;
  };

  /** The indexes of the atoms in a synonym. */
  Engine.prototype.inSynonym = function (atoms) {
    var out = new Set();
    for (var i = 0; i < atoms.length; i++) {
      for (var n = 1; n <= this.synMax && i + n <= atoms.length; n++) {
        if (this.syn.has(key(atoms.slice(i, i + n)))) for (var k = i; k < i + n; k++) out.add(k);
      }
    }
    return out;
  };

  /** Whether a Chinese character is in no known pair or synonym (traditional?). */
  Engine.prototype.missesChinese = function (atoms) {
    var found = new Set(), syn = null;
    for (var i = 0; i + 1 < atoms.length; i++) {
      var a = atoms[i], b = atoms[i + 1];
      if (a.cjk && b.cjk && a.run === b.run && this.postings(a.v + b.v)) { found.add(i); found.add(i + 1); }
    }
    for (i = 0; i < atoms.length; i++) {
      if (!atoms[i].cjk || found.has(i)) continue;
      syn = syn || this.inSynonym(atoms);
      if (!syn.has(i)) return true;
    }
    return false;
  };

  /**
   * The terms of a phrase: `parts` (its bigrams and Latin words, all of which a document holding
   * the whole phrase has) and `bonus` (the phrase's Chinese runs as words).
   */
  Engine.prototype.phraseTerms = function (text) {
    var got = this.phrases.get(text);
    if (got) return got;
    var parts = [], bonus = [], stop = this.stop;
    runs(normalize(text)).forEach(function (r) {
      if (r.cjk) {
        if (chars(r.text).length >= 3) bonus.push(r.text);
        bigrams(r.text).forEach(function (b) { parts.push(b); });
      } else {
        var t = wordTerm(r.text, stop);
        if (t) parts.push(t);
      }
    });
    got = { parts: parts, bonus: bonus, all: parts.concat(bonus) };
    this.phrases.set(text, got);
    return got;
  };

  Engine.prototype.shard = function (k) {
    var self = this;
    if (!this.shards.has(k)) {
      this.shards.set(k, this.fetchText(this.base + 'p/' + k + '.txt').then(function (t) {
        var m = new Map();
        t.split('\n').forEach(function (line) {
          var tab = line.indexOf('\t');
          if (tab > 0) m.set(line.slice(0, tab), line.slice(tab + 1));
        });
        return m;
      }));
    }
    return this.shards.get(k).then(function (m) { self.loaded.set(k, m); return m; });
  };

  /** The postings of a term already fetched, decoded once: {docs: [doc…], imps: [impact…]}
   *  in document order, or null. */
  Engine.prototype.postings = function (term) {
    var out = this.cache.get(term);
    if (out !== undefined) return out;
    var m = this.loaded.get(this.shardNo(term));
    var s = m && m.get(term);
    out = null;
    if (s) {
      var docs = [], imps = [], doc = 0, num = 0;
      for (var i = 0; i < s.length; i++) {
        var c = s.charCodeAt(i);
        if (c >= 65 && c <= 90) { doc += num; docs.push(doc); imps.push(c - 64); num = 0; }
        else num = num * 36 + (c <= 57 ? c - 48 : c - 87);
      }
      out = { docs: docs, imps: imps };
    }
    // Only a fetched shard's answer is final: a term of a shard not yet fetched is asked again.
    if (m) this.cache.set(term, out);
    return out;
  };

  /** The documents of a term as a Set (facets, the money clauses). */
  Engine.prototype.docSet = function (term) {
    var p = this.postings(term);
    return p && (p.set || (p.set = new Set(p.docs)));
  };

  /**
   * Runs a query. filters: {doc, action, unit} (ids or empty). Resolves to
   * {hits: [{doc, score, coverage}], parts: [strings to highlight], words: Set of Latin terms}.
   */
  /** '' when document `d` is of a version in force on `today` (or of no version), else
   *  'superseded' (a later version is in force) or 'pending' (not yet in force). */
  Engine.prototype.standing = function (d, today) {
    var r = this.ranges && this.ranges.get(d);
    if (!r || !today) return '';
    if (r[1] && today >= r[1]) return 'superseded';
    if (r[0] && today < r[0]) return 'pending';
    return '';
  };

  Engine.prototype.search = function (q, filters) {
    var self = this;
    filters = filters || {};
    return this.load().then(function () {
      q = fold(q, self.t2s);
      var atoms = self.atoms(q);
      var money = self.asksAmount(q);
      var want = new Set();
      var facets = [];
      if (filters.doc) facets.push('#d:' + filters.doc);
      if (filters.action) facets.push('#a:' + filters.action);
      if (filters.unit) facets.push('#u:' + filters.unit);
      facets.forEach(function (f) { want.add(f); });
      // Every run's bigrams (their shards also hold the words starting with them), Latin
      // terms, and the terms of every synonym a part of the query may stand for.
      var byRun = new Map();
      atoms.forEach(function (a) {
        if (!byRun.has(a.run)) byRun.set(a.run, []);
        byRun.get(a.run).push(a);
      });
      byRun.forEach(function (list) {
        if (list[0].cjk) bigrams(list.map(function (a) { return a.v; }).join('')).forEach(function (b) { want.add(b); });
        else want.add(list[0].v);
      });
      for (var i = 0; i < atoms.length; i++) {
        for (var n = 1; n <= self.synMax && i + n <= atoms.length; n++) {
          var exp = self.syn.get(key(atoms.slice(i, i + n)));
          if (exp) exp.forEach(function (e) { self.phraseTerms(e).all.forEach(function (t) { want.add(t); }); });
        }
      }
      if (money) want.add(self.meta.amount.facet);
      return self.fetchTerms(want).then(function () {
        // Lost characters may be traditional ones: fold them and search again, once.
        if (!self.t2s && self.meta.t2s && self.missesChinese(atoms)) {
          return self.file(self.meta.t2s).then(function (text) {
            self.t2s = pairs(text);
            return fold(q, self.t2s) !== q ? self.search(q, filters) : self.typos(atoms, facets, filters, money);
          });
        }
        return self.typos(atoms, facets, filters, money);
      });
    });
  };

  /** Scores; an English word (5+ letters) that finds nothing looks for up to 3 words 1 edit away. */
  Engine.prototype.typos = function (atoms, facets, filters, money) {
    var self = this;
    var lost = atoms.filter(function (a) { return !a.cjk && a.n >= 5 && /^[a-z]+$/.test(a.v) && !self.postings(a.v); });
    if (lost.length) {
      var syn = this.inSynonym(atoms);
      lost = lost.filter(function (a) { return !syn.has(atoms.indexOf(a)); });
    }
    if (!lost.length || !this.meta.words) return Promise.resolve(this.score(atoms, facets, filters, money, null));
    var w = this.meta.words, lengths = new Set();
    lost.forEach(function (a) {
      for (var n = a.v.length - 1; n <= a.v.length + 1; n++) if (w.lengths.indexOf(n) >= 0) lengths.add(n);
    });
    return Promise.all(Array.from(lengths).map(function (n) { return self.file(w.dir + n + '.txt'); })).then(function (texts) {
      var words = texts.join('\n').split('\n').filter(Boolean);
      var fix = new Map(), want = new Set();
      lost.forEach(function (a) {
        var near = [];
        for (var i = 0; i < words.length && near.length < 3; i++) if (oneEdit(a.v, words[i])) near.push(words[i]);
        if (near.length) fix.set(a.v, near);
        near.forEach(function (w) { want.add(w); });
      });
      return self.fetchTerms(want).then(function () { return self.score(atoms, facets, filters, money, fix); });
    });
  };

  /** The weight of a clause that sets an amount when the query asks about money. */
  var AMOUNT_BOOST = 1.6;

  Engine.prototype.score = function (atoms, facets, filters, money, fix) {
    var self = this;
    filters = filters || {};
    var units = [], glue = [], hl = new Set(), words = new Set();
    var has = function (t) { return !!self.postings(t); };
    // Greedy longest match, run by run: a synonym key or a word the index knows, else a bigram
    // the index knows, else (a lone character) nothing.
    var i = 0;
    while (i < atoms.length) {
      var a = atoms[i], best = 0, syn = null;
      for (var n = Math.min(self.synMax, atoms.length - i); n >= 1; n--) {
        var slice = atoms.slice(i, i + n);
        // A key spans one Chinese run, or consecutive Latin words.
        if (slice.some(function (x) { return x.cjk !== a.cjk || (a.cjk && x.run !== a.run); })) continue;
        var e = self.syn.get(key(slice));
        if (e) { best = n; syn = e; break; }
      }
      if (a.cjk) {
        var run = [];
        for (var j = i; j < atoms.length && atoms[j].run === a.run; j++) run.push(atoms[j].v);
        for (var L = run.length; L >= 2 && L > best; L--) {
          if (has(run.slice(0, L).join(''))) { best = L; syn = self.syn.get(key(atoms.slice(i, i + L))) || null; break; }
        }
      } else if (!best) best = 1;
      if (!best) { i++; continue; }
      var text = atoms.slice(i, i + best).map(function (x) { return x.v; }).join(a.cjk ? '' : ' ');
      var own = a.cjk ? self.phraseTerms(text) : { parts: text.split(' '), bonus: [] };
      var alts = [{ w: 1, parts: own.parts, bonus: own.bonus }];
      if (!a.cjk && fix && fix.has(text)) fix.get(text).forEach(function (w) { alts.push({ w: 0.8, parts: [w], bonus: [] }); });
      if (syn) syn.forEach(function (e) { var p = self.phraseTerms(e); alts.push({ w: 0.8, parts: p.parts, bonus: p.bonus, text: e }); });
      units.push({ text: text, alts: alts, cjk: a.cjk });
      i += best;
    }
    // Bigrams across the parts of a run reward the query's words standing together.
    for (var k = 0; k + 1 < atoms.length; k++) {
      if (atoms[k].cjk && atoms[k + 1].cjk && atoms[k].run === atoms[k + 1].run) glue.push(atoms[k].v + atoms[k + 1].v);
    }
    // Sums over the postings in per-document arrays (a query touches few documents: only
    // those are visited and cleared), in the order the terms and postings come.
    // Per-document arrays made once for the index, each entry cleared after use.
    var nd = self.meta.docs;
    var acc = self.acc = self.acc || [new Float64Array(nd), new Int32Array(nd), new Float64Array(nd), new Float64Array(nd), new Int32Array(nd)];
    var sum = acc[0], got = acc[1], top = acc[2], score = acc[3], nunits = acc[4], scored = [];
    units.forEach(function (u) {
      var inBest = [];
      u.alts.forEach(function (alt) {
        // Each phrasing scores by its terms' impacts, scaled by how much of the phrase the
        // document holds: 综合保税区 should not be found in every text that says 保税.
        var touched = [], total = alt.parts.length || 1, terms = alt.parts.concat(alt.bonus);
        for (var ti = 0; ti < terms.length; ti++) {
          var t = terms[ti], p = self.postings(t);
          if (!p) continue;
          if (CJK.test(t)) hl.add(t); else words.add(t);
          var ds = p.docs, is = p.imps, part = ti < alt.parts.length;
          for (var j = 0; j < ds.length; j++) {
            var d = ds[j];
            if (sum[d] === 0) touched.push(d);
            sum[d] += is[j] * alt.w;
            if (part) got[d]++;
          }
        }
        if (alt.text && touched.length && CJK.test(alt.text)) hl.add(normalize(alt.text));
        for (j = 0; j < touched.length; j++) {
          d = touched[j];
          var f = Math.min(1, got[d] / total), v = sum[d] * (f * f);
          if (v > top[d]) { if (top[d] === 0) inBest.push(d); top[d] = v; }
          sum[d] = 0;
          got[d] = 0;
        }
      });
      if (inBest.length && u.cjk && u.text.length > 1) hl.add(u.text);
      for (var j = 0; j < inBest.length; j++) {
        var d = inBest[j];
        if (nunits[d] === 0) scored.push(d);
        score[d] += top[d];
        nunits[d]++;
        top[d] = 0;
      }
    });
    glue.forEach(function (t) {
      var p = self.postings(t);
      if (!p) return;
      for (var j = 0; j < p.docs.length; j++) if (nunits[p.docs[j]]) score[p.docs[j]] += 0.5 * p.imps[j];
    });
    var allow = null;
    facets.forEach(function (f) {
      var p = self.docSet(f) || new Set();
      allow = allow ? new Set(Array.from(allow).filter(function (d) { return p.has(d); })) : p;
    });
    var amount = money && self.docSet(self.meta.amount.facet);
    var hits = new Map();
    scored.forEach(function (d) {
      var s = score[d], cov = nunits[d] / units.length;
      score[d] = 0;
      nunits[d] = 0;
      if (allow && !allow.has(d)) return;
      // By default only the versions in force on the reader's date.
      if (filters.today && !filters.versions && self.standing(d, filters.today)) return;
      var boost = amount && amount.has(d) ? AMOUNT_BOOST : 1;
      hits.set(d, { doc: d, score: s * boost * (0.25 + 0.75 * cov * cov), coverage: cov });
    });
    // An item and its own clauses are one result: the item if it beats them all, else they.
    var groups = new Map();
    hits.forEach(function (h, d) {
      var whole = self.wholeOf.get(d);
      if (whole === undefined || !hits.has(whole)) return;
      var g = groups.get(whole);
      if (g) g.push(d); else groups.set(whole, [d]);
    });
    groups.forEach(function (found, whole) {
      var bestPart = 0;
      found.forEach(function (p) { bestPart = Math.max(bestPart, hits.get(p).score); });
      if (hits.get(whole).score > bestPart) found.forEach(function (p) { hits.delete(p); });
      else hits.delete(whole);
    });
    hits = Array.from(hits.values());
    hits.sort(function (x, y) { return y.score - x.score || x.doc - y.doc; });
    return { hits: hits, parts: Array.from(hl), words: words, units: units.length };
  };

  /** The stored documents [id, url, crumb, title, text] of `docs` in `lang` (`meta.chunk` a
   *  file, consecutive), each made into a
   *  record once (a query again, or another showing the same document, reads it back). */
  Engine.prototype.docs = function (docs, lang) {
    var self = this, size = this.meta.chunk;
    var rec = function (d) { return self.records.get(lang + '/' + d); };
    var ks = Array.from(new Set(docs.map(function (d) { return Math.floor(d / size); })));
    return Promise.all(ks.map(function (k) {
      var id = lang + '/' + k;
      if (!self.chunks.has(id)) {
        self.chunks.set(id, self.fetchText(self.base + lang + '/' + k + '.json').then(function (t) {
          // A crumb or title of 0 is the row before's (the clauses of one version share them).
          var prev = null;
          JSON.parse(t).forEach(function (r, i) {
            var d = k * size + i;
            prev = { id: r[0], url: r[1], crumb: r[2] === 0 ? prev.crumb : r[2], title: r[3] === 0 ? prev.title : r[3], text: r[4], estimate: r[5], n: d };
            self.records.set(lang + '/' + d, prev);
          });
        }));
      }
      return self.chunks.get(id);
    })).then(function () { return docs.map(rec); });
  };

  // ---- Snippets ------------------------------------------------------------------------------
  var textWords = new Map();

  /** Ranges [start, end) of `text` matching the query: Chinese parts, stemmed Latin words. */
  function marks(text, found) {
    var spans = [];
    found.parts.forEach(function (p) {
      if (p.length < 2) return;
      for (var at = text.indexOf(p); at >= 0; at = text.indexOf(p, at + 1)) spans.push([at, at + p.length]);
    });
    // The Latin words of a text, stemmed, [start, end, stem, …]: found once per text shown.
    var ws = textWords.get(text);
    if (!ws) {
      var lower = normalize(text.replace(/,/g, ';')), re = /[a-z0-9\u00C0-\u024F]+/g, m;
      ws = [];
      while ((m = re.exec(lower))) ws.push(m.index, m.index + m[0].length, stem(m[0]));
      if (textWords.size > 500) textWords.clear();
      textWords.set(text, ws);
    }
    for (var i = 0; i < ws.length; i += 3) if (found.words.has(ws[i + 2])) spans.push([ws[i], ws[i + 1]]);
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    spans.forEach(function (s) {
      var last = merged[merged.length - 1];
      if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
      else merged.push([s[0], s[1]]);
    });
    return merged;
  }

  /** A window of about `width` characters with the most marked text: [{text, mark}]. */
  function snippet(text, found, width) {
    var ms = marks(text, found);
    var start = 0;
    if (text.length > width && ms.length) {
      var bestCover = -1;
      ms.forEach(function (m) {
        var s0 = Math.max(0, Math.min(m[0] - Math.floor(width / 5), text.length - width));
        var cover = 0;
        ms.forEach(function (x) { if (x[0] >= s0 && x[1] <= s0 + width) cover += x[1] - x[0]; });
        if (cover > bestCover) { bestCover = cover; start = s0; }
      });
    }
    var end = Math.min(text.length, start + width);
    var out = [];
    if (start > 0) out.push({ text: '…' });
    var pos = start;
    ms.forEach(function (m) {
      var a = Math.max(m[0], start), b = Math.min(m[1], end);
      if (b <= a) return;
      if (a > pos) out.push({ text: text.slice(pos, a) });
      out.push({ text: text.slice(a, b), mark: true });
      pos = b;
    });
    if (pos < end) out.push({ text: text.slice(pos, end) });
    if (end < text.length) out.push({ text: '…' });
    return out;
  }

  var api = { Engine: Engine, normalize: normalize, fold: fold, pairs: pairs, runs: runs, stem: stem, shardOf: shardOf, fnv1a: fnv1a, snippet: snippet, marks: marks };
  if (typeof module === 'object' && module.exports) { module.exports = api; return; }
  window.SiteSearch = api;

  // ---- The search page -----------------------------------------------------------------------
  var app = document.getElementById('search-app');
  if (!app) return;
  var d = app.dataset, lang = d.lang, PAGE = 10;
  var form = document.getElementById('search-form');
  var input = document.getElementById('search-q');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var more = document.getElementById('search-more');
  var selects = { doc: form.elements.doc, action: form.elements.action, unit: form.elements.unit };
  var allVersions = form.elements.versions;
  // The reader's date in China (UTC+8), as status.js works it out.
  var today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  function get(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
      return r.text();
    });
  }
  // The index's files move together into a folder named by their hash; the page names its
  // meta.json there, and the engine asks for the others beside it.
  var engine = new Engine(d.meta.slice(0, d.meta.lastIndexOf('/') + 1), get);
  var shown = 0, current = null, seq = 0;

  function params() {
    var u = new URL(location.href);
    input.value = u.searchParams.get('q') || '';
    Object.keys(selects).forEach(function (k) { selects[k].value = u.searchParams.get(k) || ''; });
    if (allVersions) allVersions.checked = u.searchParams.get('versions') === 'all';
  }
  /** Keeps the query in the URL; a new one pushes an entry, for Back. */
  function keepInUrl(q, f, how) {
    var u = new URL(location.href);
    u.search = '';
    if (q) u.searchParams.set('q', q);
    Object.keys(f).forEach(function (k) { if (f[k]) u.searchParams.set(k, f[k]); });
    var url = u.pathname + u.search + u.hash;
    if (url === location.pathname + location.search + location.hash) return;
    if (how === 'push') history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  }
  function say(text) { status.textContent = text; }

  function run(how) {
    var q = input.value.trim();
    var f = { doc: selects.doc.value, action: selects.action.value, unit: selects.unit.value };
    if (allVersions) f.versions = allVersions.checked ? 'all' : '';
    keepInUrl(q, f, how);
    var mine = ++seq;
    list.textContent = '';
    more.hidden = true;
    if (!q) { say(''); document.title = d.title; return; }
    say(d.loading);
    app.setAttribute('aria-busy', 'true');
    engine.search(q, Object.assign({ today: today }, f)).then(function (found) {
      if (mine !== seq) return;
      current = found;
      shown = 0;
      document.title = q + ' · ' + d.title;
      if (!found.hits.length) { app.removeAttribute('aria-busy'); say(d.none); return; }
      return page().then(function () {
        if (mine !== seq) return;
        var n = found.hits.length;
        say((n === 1 ? d.countOne : d.count).replace('{n}', n));
      });
    }).catch(function (e) {
      if (mine !== seq) return;
      app.removeAttribute('aria-busy');
      say(d.error);
      if (window.console) console.warn(e);
    });
  }

  function page() {
    var found = current, batch = found.hits.slice(shown, shown + PAGE);
    return engine.docs(batch.map(function (h) { return h.doc; }), lang).then(function (docs) {
      if (found !== current) return;
      var first = null;
      docs.forEach(function (doc, i) {
        var li = document.createElement('li');
        li.className = 'result';
        li.dataset.id = doc.id;
        var crumb = document.createElement('p');
        crumb.className = 'crumb';
        crumb.textContent = doc.crumb;
        var h = document.createElement('h2');
        var a = document.createElement('a');
        a.href = d.home + doc.url;
        a.textContent = doc.title;
        h.appendChild(a);
        var st = engine.standing(doc.n, today);
        if (st) {
          var v = document.createElement('span');
          v.className = 'version-' + st;
          v.textContent = st === 'superseded' ? d.superseded : d.pending;
          h.appendChild(document.createTextNode(' '));
          h.appendChild(v);
        }
        if (batch[i].coverage < 1) {
          var p = document.createElement('span');
          p.className = 'partial';
          p.textContent = d.partial;
          h.appendChild(document.createTextNode(' '));
          h.appendChild(p);
        }
        var sn = document.createElement('p');
        sn.className = 'snippet';
        snippet(doc.text, found, lang === 'zh' ? 90 : 240).forEach(function (part) {
          var el = part.mark ? document.createElement('mark') : document.createTextNode(part.text);
          if (part.mark) el.textContent = part.text;
          sn.appendChild(el);
        });
        li.appendChild(crumb);
        li.appendChild(h);
        li.appendChild(sn);
        if (doc.estimate) {
          var ep = document.createElement('p');
          ep.className = 'estimate-this';
          var ea = document.createElement('a');
          ea.href = d.home + doc.estimate;
          ea.textContent = d.estimate;
          ep.appendChild(ea);
          li.appendChild(ep);
        }
        list.appendChild(li);
        if (!first) first = a;
      });
      shown += batch.length;
      more.hidden = shown >= found.hits.length;
      app.removeAttribute('aria-busy');
      return first;
    });
  }

  var timer = null, typed = null;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      var same = typed !== null && (q.indexOf(typed) === 0 || typed.indexOf(q) === 0);
      typed = q;
      run(same ? 'replace' : 'push');
    }, 250);
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    typed = null;
    run('push');
  });
  Object.keys(selects).forEach(function (k) {
    selects[k].addEventListener('change', function () { typed = null; run('push'); });
  });
  // Back and Forward: the query and filters of that entry, searched again.
  window.addEventListener('popstate', function () {
    clearTimeout(timer);
    typed = null;
    params();
    run('replace');
  });
  if (allVersions) allVersions.addEventListener('change', function () { typed = null; run('push'); });
  more.addEventListener('click', function () {
    page().then(function (first) { if (first) first.focus(); });
  });
  params();
  if (input.value.trim()) run('replace');
})();
