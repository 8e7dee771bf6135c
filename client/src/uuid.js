// UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Sorted by time, so a phone's
// records keep the order they were written in, and unique without asking the server.

/** @type {{ms: number, seq: number}} */
const last = { ms: 0, seq: 0 };

/** @param {number} [now] @returns {string} */
export function uuidv7(now = Date.now()) {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  // Keep ids made within one millisecond increasing: a 12-bit counter in rand_a.
  if (now <= last.ms) {
    now = last.ms;
    last.seq = (last.seq + 1) & 0xfff;
    if (last.seq === 0) now = last.ms = last.ms + 1;
  } else {
    last.ms = now;
    last.seq = b[6] & 0x07; // start low so the counter has room
  }
  const ms = BigInt(now);
  for (let i = 0; i < 6; i++) b[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  b[6] = 0x70 | ((last.seq >> 8) & 0x0f);
  b[7] = last.seq & 0xff;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
