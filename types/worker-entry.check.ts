/*
 * The Workers entry checked against the types `wrangler types` generates from wrangler.toml (the
 * bindings and vars as Env, and the workerd runtime of its compatibility date), in place of the
 * Node and DOM types the rest of the project compiles with. `npm run typecheck` regenerates
 * .wrangler/types/worker-configuration.d.ts and compiles this file with tsconfig.worker.json: a
 * binding renamed in wrangler.toml, or code the entry reaches that needs Node, fails there.
 */
import type { z } from "zod";
import type { workerEnvSchema } from "../src/edge/worker-env";
import worker from "../src/worker";

// A module Worker whose fetch takes the Env wrangler.toml declares.
export const entry = worker satisfies ExportedHandler<Env>;

// Every binding and var of wrangler.toml is one the entry validates (src/edge/worker-env.ts).
type Unvalidated = Exclude<keyof Env, keyof z.input<typeof workerEnvSchema>>;
export const everyBindingValidated: [Unvalidated] extends [never] ? true : Unvalidated = true;
