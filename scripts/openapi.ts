/**
 * Prints the service's OpenAPI document without starting a server or opening a database, for
 * integrators who lint or generate clients from it (`npm run openapi > openapi.json`).
 */
import { createApp } from "../src/app";

const app = createApp({ deps: () => ({}) as never });
const res = await app.request("/openapi.json");
process.stdout.write(`${JSON.stringify(await res.json(), null, 2)}\n`);
