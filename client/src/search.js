// Search that ignores case and Vietnamese diacritics: "nguyen" finds "Nguyễn", "dat" finds "Đạt".
// Works on what the keyboard has committed (read on `input`), so Telex/VNI composition is untouched.

/** Folds text to lower-case ASCII letters for comparison. @param {string} s */
export function fold(s) {
  return String(s ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * True when every word of the query is found in the text (any order).
 * @param {string} text @param {string} query
 */
export function matches(text, query) {
  const q = fold(query);
  if (!q) return true;
  const t = fold(text);
  return q.split(' ').every((w) => t.includes(w));
}

/**
 * The items whose text (as `textOf` makes it) matches the query, in their order.
 * @template T
 * @param {T[]} items @param {string} query @param {(item: T) => string} textOf
 * @returns {T[]}
 */
export function filterItems(items, query, textOf) {
  const q = fold(query);
  if (!q) return items.slice();
  const words = q.split(' ');
  return items.filter((it) => {
    const t = fold(textOf(it));
    return words.every((w) => t.includes(w));
  });
}
