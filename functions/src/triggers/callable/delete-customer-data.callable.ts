import { deleteCustomerData as run } from "../../app/privacy-actions";
import { deleteCustomerDataInput } from "../../shared/privacy-contract";
import { privacyCallable } from "./privacy-callable";

export const deleteCustomerData = privacyCallable(
  "deleteCustomerData",
  deleteCustomerDataInput,
  run,
);
