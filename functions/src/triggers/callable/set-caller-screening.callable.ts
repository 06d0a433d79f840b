import { setCallerScreening as run } from "../../app/privacy-actions";
import { setCallerScreeningInput } from "../../shared/privacy-contract";
import { privacyCallable } from "./privacy-callable";

export const setCallerScreening = privacyCallable(
  "setCallerScreening",
  setCallerScreeningInput,
  run,
);
