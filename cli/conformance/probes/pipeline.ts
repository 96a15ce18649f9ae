import type { Probe, Unprobeable } from "../probe";

export const PROBES: Probe[] = [];
export const UNPROBEABLE: Unprobeable[] = [];
