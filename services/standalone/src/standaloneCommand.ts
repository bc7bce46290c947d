const usage = `Usage: clientapps [--rebuild-read-models] | clientapps admin-token | clientapps platform-token

  (no argument)           run every service in one process on the embedded engines
  --rebuild-read-models   empty the read models and rebuild them from the events first
  admin-token             print a new admin token to set as CLIENTAPPS_ADMIN_TOKEN
  platform-token          print a new platform operator token to set as CLIENTAPPS_PLATFORM_TOKEN
`;

/** What the command line asks for: run the services, or print something and exit with a code. */
export type StandaloneCommand =
  Readonly<{ run: true; rebuildReadModels: boolean }> | Readonly<{ run: false; stdout?: string; stderr?: string; exitCode: number }>;

/** Makes a new credential of a kind, to print. */
export type NewToken = (kind: "adminToken" | "platformToken") => string;

export const standaloneCommand = (args: readonly string[], newToken: NewToken): StandaloneCommand => {
  if (args.includes("--help") || args.includes("-h")) return { run: false, stdout: usage, exitCode: 0 };
  if (args[0] === "admin-token") return { run: false, stdout: `${newToken("adminToken")}\n`, exitCode: 0 };
  if (args[0] === "platform-token") return { run: false, stdout: `${newToken("platformToken")}\n`, exitCode: 0 };
  const unknown = args.filter((arg) => arg !== "--rebuild-read-models");
  if (unknown.length > 0) return { run: false, stderr: `Unknown argument: ${unknown.join(" ")}\n${usage}`, exitCode: 2 };
  return { run: true, rebuildReadModels: args.includes("--rebuild-read-models") };
};
