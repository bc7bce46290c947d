import { announceOnConsole } from "@clientapps/api";
import { generateCredential } from "@clientapps/credentials";
import { runService } from "@clientapps/runtime";
import { composeStandalone } from "./container.js";
import { standaloneCommand } from "./standaloneCommand.js";

const command = standaloneCommand(process.argv.slice(2), generateCredential);
if (command.run) {
  // The ops port serves /metrics, which the API port shows only behind CLIENTAPPS_METRICS_TOKEN.
  runService(
    "clientapps",
    (container) => composeStandalone(container, { rebuildReadModels: command.rebuildReadModels, announceAdminToken: announceOnConsole }),
    { opsServer: true },
  );
} else {
  if (command.stdout) process.stdout.write(command.stdout);
  if (command.stderr) process.stderr.write(command.stderr);
  process.exitCode = command.exitCode;
}
