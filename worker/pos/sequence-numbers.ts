/**
 * The POS numbers each register's sequences 1, 2, 3… (the back office's "Sequence #", also called
 * "Closure #") but lists no past closure. A closure rebuilt from its sales knows its id, its
 * register and when it traded, not its number: it is counted from a sequence whose number is known
 * (the register's latest, from its payments summary; one a webhook or polling saw) along the
 * register's sequences in time order. Counted back from a later number and forward from an earlier
 * one, both must agree when both exist (a sequence with no payment at all would leave no trace and
 * shift the count: then the number stays unknown).
 */

export interface TimelineEntry {
  seq: string;
  registerId: string;
  /** When it opened, or its first payment: only the order matters */
  at: string;
  /** The POS's number when something said it */
  number: number | null;
}

/** Numbers for the entries that have none, where the count is certain. */
export function countSequenceNumbers(entries: readonly TimelineEntry[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of timelines(entries))
    for (const [i, e] of line.entries()) {
      if (e.number !== null) continue;
      const n = countedAt(line, i);
      if (n !== null && n > 0) out.set(e.seq, n);
    }
  return out;
}

/** Each register's sequences once each, in the order they opened. */
function timelines(entries: readonly TimelineEntry[]): TimelineEntry[][] {
  const byRegister = new Map<string, TimelineEntry[]>();
  for (const e of entries) byRegister.set(e.registerId, [...(byRegister.get(e.registerId) ?? []), e]);
  return [...byRegister.values()].map((list) =>
    [...new Map(list.map((e) => [e.seq, e])).values()].sort((a, b) =>
      a.at < b.at ? -1 : a.at > b.at ? 1 : a.seq < b.seq ? -1 : 1,
    ),
  );
}

/** The number at `i`, counted back from the next numbered entry and on from the previous; null when they disagree. */
function countedAt(line: readonly TimelineEntry[], i: number): number | null {
  const next = line.findIndex((e, j) => j > i && e.number !== null);
  const back = next < 0 ? null : line[next]!.number! - (next - i);
  const prev = line.findLastIndex((e, j) => j < i && e.number !== null);
  const forward = prev < 0 ? null : line[prev]!.number! + (i - prev);
  return back !== null && forward !== null ? (back === forward ? back : null) : (back ?? forward);
}
