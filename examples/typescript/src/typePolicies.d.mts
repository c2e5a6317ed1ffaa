import type { TypePolicies } from "@apollo/client";

export declare const typePolicies: TypePolicies;
