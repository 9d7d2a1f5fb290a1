// `charter judge`: not built yet (placeholder so the command table type-checks).
import { CharterError } from "../../errors.js";
import type { Command } from "../command.js";

const command: Command = {
  run() {
    return Promise.reject(new CharterError("not-built", "'charter judge' is not built yet"));
  },
};
export default command;
