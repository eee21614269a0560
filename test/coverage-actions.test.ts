// Every operation hwlocal answers names the IAM action its fine-grained policies judge it by (issue 12),
// and `npm run coverage:api -- --actions` lists them: the JSON services' through gateway/actions.ts, OBS's
// by name (services/obs/iam.ts), where only the unsigned CORS preflights are judged by none.
import { test } from "node:test";
import assert from "node:assert/strict";
import { actionsReport } from "../src/control/coverage.ts";
import { startTestHwlocal } from "./helpers/hwlocal.ts";

test("every operation of every service names its IAM action", async () => {
  const hw = await startTestHwlocal({ eagerServices: true });
  try {
    const rows = actionsReport(hw.services);
    assert.ok(rows.length > 1000, `${rows.length} operations`);
    const unjudged = rows.filter((r) => r.action === null).map((r) => `${r.service}:${r.operation}`);
    assert.deepEqual(unjudged.sort(), ["obs:OptionsBucket", "obs:OptionsObject"]);
    const malformed = rows.filter((r) => r.action !== null && !new RegExp(`^${r.service === "eip" ? "(eip|vpc)" : r.service}:[A-Za-z0-9*]+:[A-Za-z0-9*]+$`).test(r.action));
    assert.deepEqual(malformed, []);
    const pick = (service: string, operation: string) => rows.find((r) => r.service === service && r.operation === operation)?.action;
    assert.equal(pick("ecs", "CreateServers"), "ecs:cloudServers:createServers");
    assert.equal(pick("ecs", "DeleteServers"), "ecs:cloudServers:delete");
    assert.equal(pick("ecs", "AttachServerVolume"), "ecs:cloudServers:attach");
    assert.equal(pick("ecs", "BatchAttachSharableVolumes"), "ecs:cloudServers:attach");
    assert.equal(pick("obs", "GetObject"), "obs:object:GetObject");
    assert.equal(pick("obs", "ListBuckets"), "obs:bucket:ListAllMyBuckets");
  } finally {
    await hw.close();
  }
});
