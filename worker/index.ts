import { createApp } from "./app";
import { runScheduled, runTenantMessage, type TenantMessage } from "./sync/cron";

const app = createApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  scheduled: (controller, env, ctx) => {
    ctx.waitUntil(runScheduled(env, { scheduledTime: new Date(controller.scheduledTime) }));
  },
  // one tenant per message (max_batch_size = 1): a tenant's work gets an invocation of its own
  queue: async (batch, env, _ctx) => {
    for (const message of batch.messages) {
      await runTenantMessage(env, message.body);
      message.ack();
    }
  },
} satisfies ExportedHandler<Env, TenantMessage>;
