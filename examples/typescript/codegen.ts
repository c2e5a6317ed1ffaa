// graphql-codegen against the gateway's published SDL: typed documents for every operation.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../../schema.graphql",
  documents: ["src/**/*.graphql"],
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        // Decimal (@specifiedBy to-scientific-string) and DateTime (RFC 3339) travel as
        // strings: never parse an amount into a JavaScript number.
        scalars: { Decimal: "string", DateTime: "string" },
        strictScalars: true,
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
  ignoreNoDocuments: false,
};

export default config;
