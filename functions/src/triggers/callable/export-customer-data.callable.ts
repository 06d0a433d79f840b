import { exportCustomerData as run } from "../../app/privacy-actions";
import { exportCustomerDataInput } from "../../shared/privacy-contract";
import { privacyCallable } from "./privacy-callable";

export const exportCustomerData = privacyCallable(
  "exportCustomerData",
  exportCustomerDataInput,
  run,
);
