import type { QboEntity } from "../../../shared/sync";
import { ALL_KINDS } from "../../kinds";
import type { QboPort } from "../../qbo/port";

/**
 * The Tillbridge tags (`Tillbridge <keyTag>` in PrivateNote, DESIGN §2) of the documents QBO
 * already holds in a date range: a few paged queries for the whole range instead of one lookup per
 * document. A backfill object whose tag is found was posted before (by an earlier install, a
 * restored database…) and is looked up and adopted, never created twice.
 */

/** Every entity the kinds a backfill posts can be, each once, in the registry's order. */
export const POSTED_ENTITIES: readonly QboEntity[] = [
  ...new Set(ALL_KINDS.filter((k) => k.backfill).flatMap((k) => k.entities)),
];

const TAG = /Tillbridge ([0-9A-Z]{10})\b/;

export function tagOf(privateNote: string | undefined): string | null {
  return privateNote ? (TAG.exec(privateNote)?.[1] ?? null) : null;
}

export async function tagsInQbo(port: Pick<QboPort, "notesBetween">, from: string, to: string): Promise<Set<string>> {
  const tags = new Set<string>();
  for (const entity of POSTED_ENTITIES) {
    for (const note of await port.notesBetween(entity, from, to)) {
      const tag = tagOf(note);
      if (tag) tags.add(tag);
    }
  }
  return tags;
}
