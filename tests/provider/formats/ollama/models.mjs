// The models the loopback Ollama has pulled, with the capabilities that decide
// what the real server refuses (tools, thinking). Names without a tag mean
// ":latest", as in Ollama.

export const MODELS = [
  { name: 'llama3.2:latest', family: 'llama', size: '3.2B', tools: true, thinking: false, vision: false },
  { name: 'qwen3:8b', family: 'qwen3', size: '8.2B', tools: true, thinking: true, vision: false },
  { name: 'gemma3:4b', family: 'gemma3', size: '4.3B', tools: false, thinking: false, vision: true },
  { name: 'llava:7b', family: 'llama', size: '7B', tools: false, thinking: false, vision: true },
];

/** `llama3.2` → `llama3.2:latest`. */
export const normalize = (name) => (name.includes(':') ? name : `${name}:latest`);

export const findModel = (name) => MODELS.find((m) => m.name === normalize(name));

/** How Ollama names a library model in capability errors. */
export const registryName = (name) => `registry.ollama.ai/library/${normalize(name)}`;

export function listModels() {
  return {
    status: 200,
    json: {
      models: MODELS.map((m) => ({
        name: m.name,
        model: m.name,
        modified_at: '2026-11-01T12:00:00.000000000Z',
        size: 2019393189,
        digest: 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72',
        details: {
          parent_model: '', format: 'gguf', family: m.family, families: [m.family],
          parameter_size: m.size, quantization_level: 'Q4_K_M',
        },
      })),
    },
  };
}
