// Small validators of the site's feeds and sitemap, run inside Chromium (its XML parser checks
// well-formedness and namespaces): the elements Atom requires (RFC 4287 §4.1) and the sitemap
// protocol's rules (sitemaps.org 0.9). Each takes the XML text and returns
// {failures: [message], ...what the caller checks against the site}. They are passed to
// page.evaluate, so each is self-contained.

/** Atom: feed id/title/updated, an author (feed or every entry), entry id/title/updated and an
 *  alternate link or content; ids are IRIs, dates RFC 3339, ids unique. */
export function validateAtom(xml) {
  const NS = 'http://www.w3.org/2005/Atom';
  const failures = [];
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const err = doc.getElementsByTagName('parsererror')[0];
  if (err) return { failures: ['not well-formed XML: ' + err.textContent.replace(/\s+/g, ' ').slice(0, 200)] };
  const root = doc.documentElement;
  if (root.localName !== 'feed' || root.namespaceURI !== NS) {
    return { failures: [`the root is <${root.nodeName}> in namespace ${root.namespaceURI}, expected <feed> in ${NS}`] };
  }
  const kids = (el, name) => [...el.children].filter((c) => c.namespaceURI === NS && c.localName === name);
  const IRI = /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/;
  const DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
  const one = (el, name, where) => {
    const k = kids(el, name);
    if (k.length !== 1) failures.push(`${where}: ${k.length} <${name}>, Atom requires exactly one`);
    return k[0];
  };
  const rel = (l) => l.getAttribute('rel') ?? 'alternate';
  const common = (el, where) => {
    const id = one(el, 'id', where);
    if (id && !IRI.test(id.textContent.trim())) failures.push(`${where}: <id> "${id.textContent}" is not an absolute IRI`);
    const title = one(el, 'title', where);
    if (title && !title.textContent.trim()) failures.push(`${where}: <title> is empty`);
    const updated = one(el, 'updated', where);
    if (updated) {
      const m = DATE.exec(updated.textContent.trim());
      if (!m || +m[2] < 1 || +m[2] > 12 || +m[3] < 1 || +m[3] > 31 || +m[4] > 23 || +m[5] > 59 || +m[6] > 60) {
        failures.push(`${where}: <updated> "${updated.textContent}" is not an RFC 3339 date-time`);
      }
    }
    for (const l of kids(el, 'link')) if (!l.getAttribute('href')) failures.push(`${where}: a <link> without href`);
    const alt = kids(el, 'link').filter((l) => rel(l) === 'alternate').map((l) => `${l.getAttribute('type')}|${l.getAttribute('hreflang')}`);
    if (new Set(alt).size !== alt.length) failures.push(`${where}: two alternate links with the same type and hreflang`);
    for (const a of kids(el, 'author')) {
      const n = one(a, 'name', `${where} <author>`);
      if (n && !n.textContent.trim()) failures.push(`${where}: <author><name> is empty`);
    }
    return id?.textContent.trim();
  };
  common(root, 'feed');
  const feedAuthor = kids(root, 'author').length > 0;
  const ids = new Set();
  const entries = kids(root, 'entry').map((e, i) => {
    const where = `entry ${i + 1}`;
    const id = common(e, where);
    if (id && ids.has(id)) failures.push(`${where}: <id> ${id} is used twice`);
    ids.add(id);
    if (!feedAuthor && !kids(e, 'author').length) failures.push(`${where}: no <author>, and the feed has none`);
    const alternate = kids(e, 'link').find((l) => rel(l) === 'alternate');
    if (!kids(e, 'content').length && !alternate) failures.push(`${where}: neither <content> nor an alternate <link>`);
    return { id, title: kids(e, 'title')[0]?.textContent ?? '', link: alternate?.getAttribute('href') ?? null };
  });
  const self = kids(root, 'link').find((l) => rel(l) === 'self')?.getAttribute('href') ?? null;
  return { failures, entries, self };
}

/** Sitemap protocol 0.9: <urlset> in its namespace, only <url> children, each with one <loc>
 *  (under 2,048 characters, unique) and at most one <lastmod> in the W3C date format; at most
 *  50,000 URLs. */
export function validateSitemap(xml) {
  const NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
  const failures = [];
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const err = doc.getElementsByTagName('parsererror')[0];
  if (err) return { failures: ['not well-formed XML: ' + err.textContent.replace(/\s+/g, ' ').slice(0, 200)] };
  const root = doc.documentElement;
  if (root.localName !== 'urlset' || root.namespaceURI !== NS) {
    return { failures: [`the root is <${root.nodeName}> in namespace ${root.namespaceURI}, expected <urlset> in ${NS}`] };
  }
  // W3C Datetime (https://www.w3.org/TR/NOTE-datetime): YYYY, YYYY-MM, YYYY-MM-DD, or a time with its zone.
  const W3C = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?)?)?$/;
  const urls = [];
  const seen = new Set();
  [...root.children].forEach((u, i) => {
    const where = `url ${i + 1}`;
    if (u.namespaceURI !== NS || u.localName !== 'url') {
      failures.push(`${where}: <${u.nodeName}> is not a <url> of the sitemap namespace`);
      return;
    }
    const kid = (name) => [...u.children].filter((c) => c.namespaceURI === NS && c.localName === name);
    const locs = kid('loc');
    if (locs.length !== 1) {
      failures.push(`${where}: ${locs.length} <loc>, the protocol requires exactly one`);
      return;
    }
    const loc = locs[0].textContent.trim();
    if (!loc) failures.push(`${where}: <loc> is empty`);
    if (loc.length >= 2048) failures.push(`${where}: <loc> is ${loc.length} characters (under 2,048 allowed)`);
    if (seen.has(loc)) failures.push(`${where}: ${loc} is listed twice`);
    seen.add(loc);
    const mods = kid('lastmod');
    if (mods.length > 1) failures.push(`${where} (${loc}): ${mods.length} <lastmod>`);
    const lastmod = mods[0]?.textContent.trim() ?? null;
    if (lastmod !== null) {
      const m = W3C.exec(lastmod);
      const bad = !m || (m[2] && (+m[2] < 1 || +m[2] > 12)) || (m[3] && (+m[3] < 1 || +m[3] > new Date(Date.UTC(+m[1], +m[2], 0)).getUTCDate())) || (m[4] && (+m[4] > 23 || +m[5] > 59));
      if (bad) failures.push(`${where} (${loc}): <lastmod> "${lastmod}" is not a W3C date`);
    }
    for (const c of [...u.children]) {
      if (!['loc', 'lastmod', 'changefreq', 'priority'].includes(c.localName)) failures.push(`${where}: unknown <${c.nodeName}>`);
    }
    urls.push({ loc, lastmod });
  });
  if (urls.length > 50000) failures.push(`${urls.length} URLs: a sitemap holds at most 50,000`);
  return { failures, urls };
}
