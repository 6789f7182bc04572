// Where each tool's schemas join the contract's types. Every main/<tool>/contract.ts exports
// `contract = { methods, streams }` and adds itself here by declaration merging:
//   declare module '../contract/registry.ts' { interface ToolContracts { certs: typeof contract } }
// so the contract's types follow the tool folders without this folder naming any tool.
export interface ToolContract {
  methods: object;
  streams: object;
}

// biome-ignore lint/suspicious/noEmptyInterface: filled by each tool's contract.ts (declaration merging)
export interface ToolContracts {}
