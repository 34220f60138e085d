import type { AnnouncedClosure } from "../../../worker/db/closures";
import { announcedClosure } from "../../../worker/pos/webhooks";
import type { Stack } from "./stack";

/**
 * A register closed with the POS's webhooks held back (captured, never delivered): the closure's id
 * and what its webhook would have announced, for a test to record as if the Worker had died right
 * after answering it. The POS delivers webhooks again afterwards.
 */
export async function closedQuietly(
  stack: Stack,
  close: () => Promise<string>,
): Promise<{ id: string; announced: AnnouncedClosure }> {
  const from = stack.pos.webhookDeliveries().length;
  stack.pos.dropNextWebhooks(1000);
  let id: string;
  try {
    id = await close();
  } finally {
    const dropped = stack.pos
      .webhookDeliveries()
      .slice(from)
      .filter((d) => d.dropped).length;
    stack.pos.dropNextWebhooks(-(1000 - dropped));
  }
  const hook = stack.pos
    .webhookDeliveries()
    .slice(from)
    .find((d) => d.type === "register_closure.create")!;
  return { id, announced: announcedClosure(hook.payload) };
}
