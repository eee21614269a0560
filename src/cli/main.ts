// The `hwlocal` command: `hwlocal start` runs the emulator, `hwlocal env` prints the environment that
// points the official SDKs at a running one.
import { Command, Option } from "commander";
import { configFromEnv, configFromFile, resolveConfig } from "../config.ts";
import { startHwlocal, VERSION } from "../main.ts";
import { envLines, keyFromEnv, openstackLines } from "./env.ts";
import { registerObserveCommands } from "./observe.ts";
import { addControlCommands } from "./control.ts";

export async function run(argv: string[]): Promise<void> {
  const program = new Command();
  program.name("hwlocal").description("Huawei Cloud on your own machine").version(VERSION);

  program
    .command("start")
    .description("run the emulator")
    .addOption(new Option("-p, --port <port>", "port to listen on (HWLOCAL_PORT; default 4577, 0 for any)"))
    .addOption(new Option("--host <host>", "address to bind (HWLOCAL_HOST; default 127.0.0.1)"))
    .addOption(new Option("--data-dir <dir>", "folder for the SQLite database (HWLOCAL_DATA_DIR; default .hwlocal)"))
    .addOption(new Option("--in-memory", "keep state in memory only (HWLOCAL_IN_MEMORY=1)"))
    .addOption(new Option("--auth <mode>", "strict: verify every credential; off: accept any well-formed one (HWLOCAL_AUTH)").choices(["strict", "off"]))
    .addOption(
      new Option("--iam-policies <mode>", "enforce IAM's fine-grained policies, log what they would deny, or skip them (HWLOCAL_IAM_POLICIES; default enforce)").choices([
        "enforce",
        "log",
        "off",
      ]),
    )
    .addOption(new Option("--seed <file>", "JSON file overriding the default account (HWLOCAL_SEED)"))
    .addOption(new Option("--state <file>", "start from a state exported by GET /_hwlocal/state/export (HWLOCAL_STATE)"))
    .addOption(new Option("--init <dir>", "on a fresh state, run the API-call files and scripts of this folder (HWLOCAL_INIT)"))
    .addOption(new Option("--token-ttl <seconds>", "token lifetime (HWLOCAL_TOKEN_TTL; default 86400)"))
    .addOption(new Option("--boot-delay <seconds>", "seconds a server takes to boot, stop, start or reboot (HWLOCAL_BOOT_DELAY; default 0)"))
    .addOption(new Option("--ecs-max-servers <n>", "ECS server quota per project (HWLOCAL_ECS_MAX_SERVERS; default 100)"))
    .addOption(new Option("--log-requests", "print one line per request (HWLOCAL_LOG_REQUESTS=1)"))
    .addOption(new Option("--eager-services", "start every service with hwlocal, not on its first use (HWLOCAL_EAGER_SERVICES=1)"))
    .addOption(new Option("--journal-size <n>", "requests the journal keeps, 0 for none (HWLOCAL_JOURNAL_SIZE; default 10000)"))
    .addOption(
      new Option("--obs-aws-chunked <mode>", "OBS: refuse the AWS SDKs' aws-chunked uploads as OBS does, or accept (decode) them (HWLOCAL_OBS_AWS_CHUNKED)").choices([
        "refuse",
        "accept",
      ]),
    )
    .addOption(new Option("--config <file>", "JSON file with any of these settings"))
    .action(async (flags: Record<string, string | boolean | undefined>) => {
      const cli = {
        port: flags.port,
        host: flags.host,
        dataDir: flags.dataDir,
        inMemory: flags.inMemory,
        auth: flags.auth,
        iamPolicies: flags.iamPolicies,
        seedFile: flags.seed,
        stateFile: flags.state,
        initDir: flags.init,
        tokenTtlSeconds: flags.tokenTtl,
        logRequests: flags.logRequests,
        eagerServices: flags.eagerServices,
        journalSize: flags.journalSize,
        bootDelaySeconds: flags.bootDelay,
        ecsMaxServers: flags.ecsMaxServers,
        obsAwsChunked: flags.obsAwsChunked,
      };
      const file = typeof flags.config === "string" ? configFromFile(flags.config) : {};
      const config = resolveConfig(file, configFromEnv(process.env), cli);
      const t0 = performance.now();
      const hw = await startHwlocal(config, { log: (l) => process.stderr.write(`${l}\n`) });
      const s = hw.seed;
      const lines = [
        `hwlocal ${VERSION} ready in ${Math.round(performance.now() - t0)} ms`,
        `  endpoint     ${hw.url}   (IAM at ${hw.url}/iam, any service at ${hw.url}/<service>)`,
        `  state        ${config.inMemory ? "in memory" : `${config.dataDir}/hwlocal.db`}`,
        `  auth         ${config.auth}, IAM policies ${config.iamPolicies}`,
        `  domain       ${s.domain.name} (${s.domain.id})`,
        `  user         ${s.user.name} / ${s.user.password}`,
        `  access key   ${s.accessKey.ak}`,
        `  secret key   ${s.accessKey.sk}`,
        `  projects     ${s.regions.map((r) => `${r.id}=${r.projectId}`).join(", ")}`,
        `  point SDKs:  eval "$(npx hwlocal env --endpoint ${hw.url})"`,
        `  OpenStack:   eval "$(npx hwlocal env --openstack --endpoint ${hw.url})"`,
      ];
      let stopping = false;
      const stop = (sig: string) => {
        if (stopping) return;
        stopping = true;
        process.stdout.write(`hwlocal: ${sig}, stopping\n`);
        hw.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      // Before the ready lines: whoever waits for them may send SIGTERM at once, and must get a clean stop.
      process.on("SIGINT", () => stop("SIGINT"));
      process.on("SIGTERM", () => stop("SIGTERM"));
      process.stdout.write(`${lines.join("\n")}\n`);
    });

  program
    .command("env")
    .description("print export lines that point the official SDKs at a running hwlocal")
    .option("--region <region>", "region whose project the SDKs use", "cn-north-4")
    .option("--endpoint <url>", "hwlocal's endpoint (default http://127.0.0.1:$HWLOCAL_PORT or :4577)")
    .option("--openstack", "print the OpenStack CLI's OS_* variables (the admin's password, the region's project) instead")
    .action(async (flags: { region: string; endpoint?: string; openstack?: boolean }) => {
      const endpoint = flags.endpoint ?? `http://127.0.0.1:${process.env.HWLOCAL_PORT ?? "4577"}`;
      const lines = flags.openstack ? openstackLines : envLines;
      process.stdout.write(`${(await lines(endpoint, flags.region, keyFromEnv(process.env))).join("\n")}\n`);
    });

  addControlCommands(program);
  registerObserveCommands(program);

  await program.parseAsync(argv);
}
