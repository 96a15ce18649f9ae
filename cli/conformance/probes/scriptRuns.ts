import type { Unprobeable } from "../probe";

/**
 * The script-run rows (E, docs/ambiguities.md). Not probed yet: E2 and E3 show only in an execute the
 * service accepts, which runs a script on a host; E1, E4, E6 and E7 could be read from a refused execute
 * and from existing tickets without running anything, and are left for a later probe.
 */
export const UNPROBEABLE: Unprobeable[] = [
  { row: "E1", why: "no probe yet (an execute of a script that does not exist would show it without running anything)" },
  { row: "E2", why: "only an execute the service accepts shows it, and that runs a script on a host" },
  { row: "E3", why: "only an execute the service accepts shows it, and that runs a script on a host" },
  { row: "E4", why: "no probe yet (an ended ticket's execute_costs against its times would show it)" },
  { row: "E6", why: "no probe yet (the ticket list, §4.3.5, would show it)" },
  { row: "E7", why: "no probe yet (a failed ticket, if the tenant has one, would show it)" },
];
