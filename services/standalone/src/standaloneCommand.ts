const usage = `Usage: clientapps [--rebuild-read-models] | clientapps admin-token

  (no argument)           run every service in one process on the embedded engines
  --rebuild-read-models   empty the read models and rebuild them from the events first
  admin-token             print a new admin token to set as CLIENTAPPS_ADMIN_TOKEN
`;

/** What the command line asks for: run the services, or print something and exit with a code. */
export type StandaloneCommand =
  Readonly<{ run: true; rebuildReadModels: boolean }> | Readonly<{ run: false; stdout?: string; stderr?: string; exitCode: number }>;

export const standaloneCommand = (args: readonly string[], newAdminToken: () => string): StandaloneCommand => {
  if (args.includes("--help") || args.includes("-h")) return { run: false, stdout: usage, exitCode: 0 };
  if (args[0] === "admin-token") return { run: false, stdout: `${newAdminToken()}\n`, exitCode: 0 };
  const unknown = args.filter((arg) => arg !== "--rebuild-read-models");
  if (unknown.length > 0) return { run: false, stderr: `Unknown argument: ${unknown.join(" ")}\n${usage}`, exitCode: 2 };
  return { run: true, rebuildReadModels: args.includes("--rebuild-read-models") };
};
