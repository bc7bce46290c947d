export const usage = `Usage: pnpm bench [options]

  --peers               also run Keycloak (Maven Central, Java 17) and node-oidc-provider
  --quick               1 run of 3 s per load (default: the median of 3 runs of 10 s)
  --runs N              runs per load
  --duration S          seconds per run
  --connections N       wrk connections (default 50)
  --scale N             clients seeded for the scale, rebuild and restart figures (default 5000; 1000 with --quick; 0 skips)
  --freshness N         writes measured for the freshness figures (default 100; 20 with --quick; 0 skips)
  --distributed         also measure freshness in the distributed mode (api, projector, relay and audit processes
                        over Kafka and FerretDB: MONGODB_URL and KAFKA_BROKERS, or started with infra/*/start.sh)
  --profile create|get  run the service under node --cpu-prof during that load and print its 15 hottest functions
  --out DIR             where the JSON and Markdown results go (default test/bench/results)
  --service PATH        the service entry to measure (default this checkout's services/standalone/dist/main.js),
                        for a before-and-after: another checkout's build, measured against the same baseline
`;

export type ProfiledOperation = "create" | "get";

export type BenchOptions = Readonly<{
  help: boolean;
  peers: boolean;
  runs: number;
  durationSeconds: number;
  connections: number;
  scale: number;
  freshnessSamples: number;
  distributed: boolean;
  profile: ProfiledOperation | undefined;
  outDir: string | undefined;
  serviceEntry: string | undefined;
}>;

export class UsageError extends Error {}

const count = (flag: string, value: string | undefined, minimum: number): number => {
  const parsed = Number(value);
  if (value === undefined || !Number.isSafeInteger(parsed) || parsed < minimum) {
    throw new UsageError(`${flag} takes a whole number of at least ${minimum}`);
  }
  return parsed;
};

export const parseOptions = (args: readonly string[]): BenchOptions => {
  const quick = args.includes("--quick");
  const options = {
    help: args.includes("--help") || args.includes("-h"),
    peers: false,
    runs: quick ? 1 : 3,
    durationSeconds: quick ? 3 : 10,
    connections: 50,
    scale: quick ? 1_000 : 5_000,
    freshnessSamples: quick ? 20 : 100,
    distributed: false,
    profile: undefined as ProfiledOperation | undefined,
    outDir: undefined as string | undefined,
    serviceEntry: undefined as string | undefined,
  };
  for (let index = 0; index < args.length; index += 1) {
    const flag = args[index];
    const value = () => args[++index];
    switch (flag) {
      case "--":
      case "--help":
      case "-h":
      case "--quick":
        break;
      case "--peers":
        options.peers = true;
        break;
      case "--distributed":
        options.distributed = true;
        break;
      case "--runs":
        options.runs = count(flag, value(), 1);
        break;
      case "--duration":
        options.durationSeconds = count(flag, value(), 1);
        break;
      case "--connections":
        options.connections = count(flag, value(), 1);
        break;
      case "--scale":
        options.scale = count(flag, value(), 0);
        break;
      case "--freshness":
        options.freshnessSamples = count(flag, value(), 0);
        break;
      case "--profile": {
        const operation = value();
        if (operation !== "create" && operation !== "get") throw new UsageError("--profile takes create or get");
        options.profile = operation;
        break;
      }
      case "--service":
        options.serviceEntry = value();
        if (!options.serviceEntry) throw new UsageError("--service takes the path of a service entry");
        break;
      case "--out":
        options.outDir = value();
        if (!options.outDir) throw new UsageError("--out takes a folder");
        break;
      default:
        throw new UsageError(`unknown option ${flag}`);
    }
  }
  return options;
};
