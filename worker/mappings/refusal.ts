import type { QboRefs } from "../../shared/domain/qbo";
import { aboutList, type Lang, TillbridgeError } from "../../shared/errors";
import type { Mappings } from "../../shared/mappings";
import { createPosConnector } from "../pos/port";
import type { Services } from "../services";
import { posNames } from "./pos-objects";
import { mappingProblems, type PosNames, problemFields } from "./validate";

const MAX_ABOUT = 1000; // the API error's limit; the message names the first few and counts the rest

/**
 * The bad_request a save with unusable mappings answers: each field's problem in the request's
 * language, and what the error is about (the POS objects by their POS names) for the message — worded
 * in that language too, its English words kept as the detail.
 */
export async function refusal(
  s: Services,
  tenantId: string,
  mappings: Mappings,
  refs: QboRefs,
  lang: Lang,
): Promise<TillbridgeError> {
  const problems = mappingProblems(mappings, refs, await namesIfReadable(s, tenantId));
  const about = problems.slice(0, MAX_ABOUT).map((p) => p.about);
  return new TillbridgeError("bad_request", aboutList(about, "en"), { fields: problemFields(problems, lang), about });
}

/** The POS's names for the objects mapped (cached lists); their ids when the POS cannot be read. */
async function namesIfReadable(s: Services, tenantId: string): Promise<PosNames> {
  try {
    return posNames(await createPosConnector(s, tenantId).referenceLists({ reload: false }));
  } catch (e) {
    if (e instanceof TillbridgeError) return {};
    throw e;
  }
}
