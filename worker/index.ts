import { createApp } from "./app";
import { runScheduled } from "./sync/cron";

const app = createApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  scheduled: (controller, env, ctx) => {
    ctx.waitUntil(runScheduled(env, { scheduledTime: new Date(controller.scheduledTime) }));
  },
} satisfies ExportedHandler<Env>;
