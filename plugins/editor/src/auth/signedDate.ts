/**
 * Zone abbreviations the reference's recipes put in their Date beyond those Date.parse knows (UT, UTC, GMT and the
 * US zones): Java's "zzz" and PHP's "T" print the machine's zone, e.g. "CET" on a European server. Hours from UTC.
 */
const ZONES: Record<string, number> = {
  WET: 0, WEST: 1, BST: 1, IST: 1, CET: 1, CEST: 2, MET: 1, MEST: 2, EET: 2, EEST: 3, MSK: 3,
  GST: 4, PKT: 5, ICT: 7, WIB: 7, HKT: 8, SGT: 8, AWST: 8, JST: 9, KST: 9,
  ACST: 9.5, ACDT: 10.5, AEST: 10, AEDT: 11, NZST: 12, NZDT: 13,
  AKST: -9, AKDT: -8, HST: -10, AST: -4, ADT: -3, NST: -3.5, NDT: -2.5, BRT: -3, ART: -3,
};

/** The instant of a signed request's Date header, or NaN. */
export function parseSignedDate(value: string): number {
  const parsed = Date.parse(value);
  if (!Number.isNaN(parsed)) return parsed;
  const match = /^(.*\d{1,2}:\d{2}:\d{2})\s+([A-Z]{2,5})$/.exec(value.trim());
  const offset = match ? ZONES[match[2]!] : undefined;
  if (!match || offset === undefined) return Number.NaN;
  const utc = Date.parse(`${match[1]} UTC`);
  return Number.isNaN(utc) ? utc : utc - offset * 3600_000;
}
