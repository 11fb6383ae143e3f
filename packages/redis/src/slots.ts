/**
 * Redis Cluster hash slots, computed here rather than asked of Redis
 * (`CLUSTER KEYSLOT`, a round trip per key): the live tail groups its logs by
 * slot (one XREAD may only name keys of one slot), and the per-slot streams
 * it reads with them need a key in a chosen slot. The rule is the Cluster
 * specification's: CRC16 (XMODEM) of the key's hash tag, or of the whole key
 * when it has none, modulo 16384.
 */
export const SLOTS = 16_384

/** What Redis Cluster hashes a key by: the text of its first `{…}` if not empty, else (undefined) the whole key. */
export function hashTagOf(key: string): string | undefined {
  const open = key.indexOf('{')
  const close = open === -1 ? -1 : key.indexOf('}', open + 1)
  return close > open + 1 ? key.slice(open + 1, close) : undefined
}

const CRC16_TABLE = (() => {
  const table = new Uint16Array(256)
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1
    table[byte] = crc & 0xffff
  }
  return table
})()

const crcStep = (crc: number, byte: number): number => ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >> 8) ^ byte) & 0xff]!

const encoder = new TextEncoder()

/**
 * CRC16/XMODEM (polynomial 0x1021, initial value 0) of the text's UTF-8
 * bytes. ASCII text is its own UTF-8, read without encoding it: the slot
 * search below hashes thousands of short tags, and encoding each took ten
 * times as long.
 */
function crc16(text: string): number {
  let crc = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code > 0x7f) {
      crc = 0
      for (const byte of encoder.encode(text)) crc = crcStep(crc, byte)
      return crc
    }
    crc = crcStep(crc, code)
  }
  return crc
}

/** The hash slot Redis Cluster puts a key in (as the server names it: any client-side key prefix included). */
export function keySlot(key: string): number {
  return crc16(hashTagOf(key) ?? key) % SLOTS
}

/**
 * Bound on the search for a key in a given slot. About 16,384 candidates
 * are tried on average; this many only fail when no candidate can reach the
 * slot (a prefix whose own tag pins every key elsewhere), which the store
 * never asks for: its runs share that tag.
 */
const MAX_CANDIDATES = 1 << 22

/**
 * A key-name start, `<base>{s<n>}`, whose keys (with any suffix) live in
 * `slot`: `base` is everything the server sees before it (client key prefix
 * included). Searching is cheap (a CRC per candidate) and done once per slot.
 */
export function slotTagFor(base: string, slot: number): string {
  // Usually the tag hashes alone (a base without an open `{`): hash just it,
  // well under a millisecond per slot; otherwise the whole key.
  const tag = hashTagOf(`${base}{s0}`)
  const tagAlone = tag === 's0'
  // Without a tag (the base's first braces are empty) Redis hashes the whole
  // key, suffix included: no start can put every key made from it in `slot`.
  if (tag === undefined) throw new Error(`Keys after ${JSON.stringify(base)} have no Redis Cluster hash tag`)
  for (let n = 0; n < MAX_CANDIDATES; n++) {
    const slotOfCandidate = tagAlone ? crc16(`s${n}`) % SLOTS : keySlot(`${base}{s${n}}`)
    if (slotOfCandidate === slot) return `{s${n}}`
  }
  throw new Error(`No key after ${JSON.stringify(base)} lands in Redis Cluster slot ${slot}`)
}
