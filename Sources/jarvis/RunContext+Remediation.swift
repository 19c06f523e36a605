import Foundation
import JarvisCore
import JarvisJobs

extension RunContext {
    /// Builds the diagnosis agent for one alert from `llm:`; nil when no LLM is configured.
    var diagnosisAgentFactory: ((Alert) throws -> DiagnosisAgent)? {
        guard let settings = configuration.llm else { return nil }
        let catalog = RemediationCatalog(configuration: configuration)
        return { alert in
            let provider: any LLMProvider
            switch settings.provider {
            case .anthropic:
                provider = AnthropicProvider(
                    model: settings.model, baseURL: settings.baseURL ?? "https://api.anthropic.com", apiKey: settings.apiKey ?? Secret(""))
            case .openai:
                provider = OpenAICompatibleProvider(
                    model: settings.model, baseURL: settings.baseURL ?? "http://127.0.0.1:11434/v1", apiKey: settings.apiKey)
            }
            let transport: any HTTPTransport
            if let replay = settings.replayFile {
                transport = try ReplayTransport(path: replay, alertname: alert.alertname)
            } else {
                transport = LiveHTTP.transport
            }
            return DiagnosisAgent(
                provider: provider, transport: transport, sleeper: LiveHTTP.sleeper, now: { .now() }, tools: catalog.diagnosticTools,
                actions: catalog.planActions, limits: settings.limits)
        }
    }
}
