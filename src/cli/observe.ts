// The CLI commands over the journal and fault rules: `hwlocal journal`, `hwlocal faults add|list|rm`.
import { Command } from "commander";
import { endpointOf } from "./control-client.ts";
import { faultsAdd, faultsList, faultsRemove, type FaultAddFlags } from "./faults.ts";
import { journalCommand, type JournalFlags } from "./journal.ts";

const ENDPOINT_HELP = "hwlocal's endpoint (default http://127.0.0.1:$HWLOCAL_PORT or :4577)";
const out = (s: string) => {
  process.stdout.write(s);
};

export function registerObserveCommands(program: Command): void {
  program
    .command("journal")
    .description("show the requests hwlocal answered (newest last); --follow prints new ones as they come")
    .option("--service <name>", "only this service's requests (ecs, vpc, iam, obs, …)")
    .option("--operation <name>", "only this operation (CreateServers, …)")
    .option("--status <status>", "only this status (404), class (4xx) or error")
    .option("--since <id|time>", "only entries after this entry id or ISO time (hwlocal's clock)")
    .option("--limit <n>", "at most this many entries (default 100)")
    .option("-f, --follow", "keep printing new requests until interrupted")
    .option("--json", "print the entries as JSON (one line each with --follow)")
    .option("--endpoint <url>", ENDPOINT_HELP)
    .action(async (flags: JournalFlags & { endpoint?: string }) => {
      await journalCommand(endpointOf(flags.endpoint), flags, out);
    });

  const faults = program.command("faults").description("make hwlocal misbehave on purpose: fault rules");
  faults
    .command("add")
    .description("add a rule: what it matches (any request when nothing is given) and its one effect")
    .option("--service <name>", "match this service")
    .option("--operation <name>", "match this operation")
    .option("--region <id>", "match this region")
    .option("--project <id>", "match this project id")
    .option("--resource <id>", "match requests whose path holds this id (jobs: whose entities hold it)")
    .option("--probability <p>", "fire with this probability, 0 to 1 (seeded: runs replay)")
    .option("--times <n>", "fire for the next N matches only")
    .option("--seed <seed>", "the probability's seed (default: the rule's id)")
    .option("--error <status>", "effect: answer this HTTP status with --code and --message, in the service's error format")
    .option("--code <code>", "the error_code (APIGW.0308, Ecs.0001, …)")
    .option("--message <text>", "the error_msg")
    .option("--latency <ms>", "effect: answer this many milliseconds later")
    .option("--drop", "effect: close the connection without answering")
    .option("--job", "effect: the next matching job fails with --code and --message")
    .option("--job-type <type>", "with --job: only jobs of this type (createServer, extendVolume, …)")
    .option("--json", "print the rule as JSON")
    .option("--endpoint <url>", ENDPOINT_HELP)
    .action(async (flags: FaultAddFlags & { endpoint?: string }) => {
      await faultsAdd(endpointOf(flags.endpoint), flags, out);
    });
  faults
    .command("list")
    .description("list the rules with their hits")
    .option("--json", "print the rules as JSON")
    .option("--endpoint <url>", ENDPOINT_HELP)
    .action(async (flags: { json?: boolean; endpoint?: string }) => {
      await faultsList(endpointOf(flags.endpoint), flags.json === true, out);
    });
  faults
    .command("rm")
    .description("remove rules by id, or --all")
    .argument("[ids...]", "rule ids")
    .option("--all", "remove every rule")
    .option("--json", "print what was removed as JSON")
    .option("--endpoint <url>", ENDPOINT_HELP)
    .action(async (ids: string[], flags: { all?: boolean; json?: boolean; endpoint?: string }) => {
      await faultsRemove(endpointOf(flags.endpoint), ids, flags.all === true, flags.json === true, out);
    });
}
