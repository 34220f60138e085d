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
  const byRegister = new Map<string, TimelineEntry[]>();
  for (const e of entries) byRegister.set(e.registerId, [...(byRegister.get(e.registerId) ?? []), e]);
  for (const list of byRegister.values()) {
    const line = [...new Map(list.map((e) => [e.seq, e])).values()].sort((a, b) =>
      a.at < b.at ? -1 : a.at > b.at ? 1 : a.seq < b.seq ? -1 : 1,
    );
    for (let i = 0; i < line.length; i++) {
      if (line[i]!.number !== null) continue;
      let back: number | null = null;
      for (let j = i + 1; j < line.length; j++)
        if (line[j]!.number !== null) {
          back = line[j]!.number! - (j - i);
          break;
        }
      let forward: number | null = null;
      for (let j = i - 1; j >= 0; j--)
        if (line[j]!.number !== null) {
          forward = line[j]!.number! + (i - j);
          break;
        }
      const n = back !== null && forward !== null ? (back === forward ? back : null) : (back ?? forward);
      if (n !== null && n > 0) out.set(line[i]!.seq, n);
    }
  }
  return out;
}
