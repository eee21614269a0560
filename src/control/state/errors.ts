// The state control calls' errors, in the control plane's plain shape (HWLOCAL.<status>).
import { ApiError } from "../../kernel/api-error.ts";

const plain = (status: number, message: string) => new ApiError({ status, code: `HWLOCAL.0${status}`, message });

export const stateErrors = {
  checkpointNotFound: (id: string) => plain(404, `No checkpoint has the id or name ${id}.`),
  nameTaken: (name: string) => plain(409, `A checkpoint named ${name} exists already: delete it first or pick another name.`),
  badState: (why: string) => plain(400, `The state cannot be loaded: ${why}.`),
  forbidden: (why: string) => plain(403, why),
  unauthorized: (why: string) => plain(401, why),
};
