/** Times in words for diagnostics ("in 42 min", "3 h ago"): the debug log, the check trace, the CLI. */

/** A duration of `seconds` (at least 0) in one rounded-down unit: `42 s`, `42 min`, `3 h`, `2 d`. */
export function durationWords(seconds: number): string {
  const s = Math.floor(Math.abs(seconds));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.floor(s / 60)} min`;
  if (s < 172_800) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

/** When `atSec` is, seen from `nowSec` (both seconds since the epoch): `in 42 min`, `3 h ago`, `now`. */
export function relativeTime(atSec: number, nowSec: number): string {
  const delta = atSec - nowSec;
  if (Math.abs(delta) < 1) return 'now';
  return delta > 0 ? `in ${durationWords(delta)}` : `${durationWords(delta)} ago`;
}
