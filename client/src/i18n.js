// Vietnamese first; English is a switch kept on the phone.
import vi from './i18n/vi.js';
import en from './i18n/en.js';
import fallbackEnums from './i18n/enums.js';

/** @typedef {keyof typeof vi} Key */
const tables = { vi, en };

/** @type {'vi' | 'en'} */
let lang = 'vi';
try {
  lang = localStorage.getItem('hoagiai.lang') === 'en' ? 'en' : 'vi';
} catch (_) {}

/** @type {Record<string, Array<{code: string, vi: string, en: string}>>} */
let enums = { ...fallbackEnums };

export function getLang() {
  return lang;
}

/** @param {'vi' | 'en'} l */
export function setLang(l) {
  lang = l;
  try {
    localStorage.setItem('hoagiai.lang', l);
  } catch (_) {}
  document.documentElement.lang = l;
}

/**
 * A text in the current language, with {name} placeholders filled.
 * @param {Key} key @param {Record<string, string | number>} [params]
 * @returns {string}
 */
export function t(key, params) {
  const v = tables[lang][key] ?? vi[key] ?? key;
  const s = Array.isArray(v) ? v.join('|') : String(v);
  return params ? s.replace(/\{(\w+)\}/g, (_, k) => String(params[k] ?? '')) : s;
}

/** @param {Key} key @returns {string[]} */
export function tList(key) {
  const v = tables[lang][key] ?? vi[key];
  return Array.isArray(v) ? v : [String(v)];
}

/** Merges the server's enum labels over the built-in ones. @param {Record<string, any[]>} server */
export function setEnums(server) {
  enums = { ...fallbackEnums, ...server };
  // The server may name the case status enum `status`.
  if (server.status && !server.case_status) enums.case_status = server.status;
}

/** @param {string} name @returns {Array<{code: string, label: string}>} */
export function options(name) {
  return (enums[name] || []).map((e) => ({ code: e.code, label: lang === 'en' ? e.en : e.vi }));
}

/** @param {string} name @param {string} code */
export function label(name, code) {
  if (code === null || code === undefined) return '';
  const e = (enums[name] || []).find((x) => x.code === code);
  return e ? (lang === 'en' ? e.en : e.vi) : code;
}

/** A date as the log book writes it: dd/mm/yyyy. @param {string} iso */
export function fmtDate(iso) {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** Today as YYYY-MM-DD in the phone's time zone. */
export function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
