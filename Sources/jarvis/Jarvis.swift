import ArgumentParser

@main
struct Jarvis: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "jarvis fixes infrastructure when Prometheus alerts fire.")
}
