import * as functionsLogger from "firebase-functions/logger";
import type { Logger } from "../../ports/logger.port";

// write() keeps the event name as the message; logger.error() would replace it with a stack trace.
export const functionsLoggerAdapter: Logger = {
  info: (event, fields) => functionsLogger.write({ severity: "INFO", message: event, ...fields }),
  warn: (event, fields) =>
    functionsLogger.write({ severity: "WARNING", message: event, ...fields }),
  error: (event, fields) => functionsLogger.write({ severity: "ERROR", message: event, ...fields }),
};
