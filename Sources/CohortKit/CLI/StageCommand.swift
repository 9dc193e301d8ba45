#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The parsed common flags of a stage executable.
public struct StageOptions {
    public var configPath = "pipeline.json"
    public var asOf: String?
    public var quiet = false
    public var threads: Int?
    public var flags: Set<String> = []
    /// `--write-config-slice PATH`: write the config values this stage uses and stop (for make).
    public var configSlicePath: String?
    /// `--make-vars`: write what `make` needs to know about the project and print its path.
    public var makeVars = false
    /// `--clean`: remove the files the pipeline wrote for this configuration.
    public var clean = false
    /// Settings given by a stage's setting flags (`--backtest-months 3`): config key → number.
    public var settings: [(key: String, value: Double)] = []
    /// `--debug-part-min-bytes N` (hidden, for tests): see `StageContext.partMinimumBytes`.
    public var partMinimumBytes: Int?
    /// `--debug-kill-after-renames N` (hidden, for tests): see `StageContext.killAfterRenames`.
    public var killAfterRenames: Int?
}

/// Everything a stage body gets: its description, options and the loaded config, and how it
/// runs (threads, progress, digests, and the settings tests change).
public struct StageContext {
    public var description: StageDescription
    public var options: StageOptions
    public var config: PipelineConfig
    /// The progress line on stderr; nil when progress is not shown (`--quiet`, stderr not a
    /// terminal: the common case in tests, `make` logs and CI).
    public var progress: ProgressMeter? = nil
    /// Upstream files smaller than this are read in one part (`JSONLParts`); tests lower it to
    /// cut tiny files and check the outputs do not change (`--debug-part-min-bytes`).
    public var partMinimumBytes: Int { options.partMinimumBytes ?? JSONLParts.minimumSplitBytes }
    /// Kill the stage (SIGKILL) after renaming this many outputs on commit, leaving what a crash
    /// between renames leaves: for the tests that check `make` repairs it
    /// (`--debug-kill-after-renames`).
    public var killAfterRenames: Int? { options.killAfterRenames }
    /// Called by ingest once a source has been read and hashed, before it checks that the file
    /// did not change meanwhile: lets a test change a file at that moment. Nil in the stages.
    public var afterReadingSource: ((PipelineConfig.SourceKind) -> Void)? = nil

    /// Digests in the background unless the stage runs on one thread (`--threads 1` does
    /// everything in turn on the calling thread).
    public var digestMode: DigestMode { threads > 1 ? .background : .inline }

    /// Worker threads: the flag, else the config, else the machine's cores.
    public var threads: Int {
        if let t = options.threads, t > 0 { return t }
        if config.threads > 0 { return config.threads }
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    public var outputDirectory: String { "\(config.workDir)/\(description.name)" }

    /// A one-line summary on stderr unless `--quiet`.
    public func log(_ line: String) {
        guard !options.quiet else { return }
        progress?.finish()
        FileHandleStderr.write("\(description.name): \(line)\n")
    }

    /// A warning on stderr (printed even under `--quiet`: it is about the numbers, not progress).
    public func warn(_ line: String) {
        progress?.finish()
        FileHandleStderr.write("\(description.name): warning: \(line)\n")
    }
}

/// Runs a stage executable: parses flags, loads the config, calls the body, maps errors to exit
/// codes (docs/stages.md#exit-codes). Executables are one call to this.
public enum StageCommand {
    public static func main(
        _ description: StageDescription, arguments: [String] = Array(CommandLine.arguments.dropFirst()),
        body: (StageContext) throws -> Void
    ) -> Never {
        exit(run(description, arguments: arguments, body: body))
    }

    /// Like `main` but returns the exit code (for tests).
    public static func run(_ description: StageDescription, arguments: [String], body: (StageContext) throws -> Void)
        -> Int32
    {
        do {
            guard let options = try parse(description, arguments) else { return 0 }
            SignalCleanup.install()
            let config = try PipelineConfig.load(
                path: options.configPath, asOfOverride: options.asOf, settings: options.settings)
            if let slice = options.configSlicePath {
                try writeConfigSlice(config.section(description.configSections), to: slice)
                return 0
            }
            if options.makeVars {
                try PipelineMake.checkPathsForMake(config)
                print(try PipelineMake.writeState(config))
                return 0
            }
            if options.clean {
                PipelineMake.clean(config)
                return 0
            }
            let progress = !options.quiet && isatty(STDERR_FILENO) == 1 ? ProgressMeter(label: description.name) : nil
            defer { progress?.finish() }
            let context = StageContext(description: description, options: options, config: config, progress: progress)
            try StageRun.prepare(context)
            try body(context)
            return 0
        } catch let e as PipelineError {
            SignalCleanup.removeAll()
            FileHandleStderr.write("\(description.name): error: \(e.description)\n")
            return e.exitCode
        } catch {
            SignalCleanup.removeAll()
            FileHandleStderr.write("\(description.name): error: \(error)\n")
            return 1
        }
    }

    /// Writes the stage's slice of the configuration only when its content changed, so `make`
    /// reruns a stage after an edit to the settings it reads and not after any other edit.
    static func writeConfigSlice(_ value: JSONValue, to path: String) throws {
        try writeIfChanged(value.serialized(pretty: true), to: path)
    }

    /// Writes `text` to `path` only when the file's content differs, so its time stamp moves
    /// only on a real change.
    static func writeIfChanged(_ text: String, to path: String) throws {
        if let old = try? FilePaths.readAll(path), old == Array(text.utf8) { return }
        try AtomicFileWriter.write(text, to: path)
    }

    /// Parses flags; nil when `--help` or `--version` was answered.
    static func parse(_ d: StageDescription, _ args: [String]) throws -> StageOptions? {
        var o = StageOptions()
        var i = 0
        func value(_ flag: String) throws -> String {
            i += 1
            guard i < args.count, !args[i].hasPrefix("--") else {
                throw UsageError(tool: d.name, message: "\(flag) needs a value")
            }
            return args[i]
        }
        while i < args.count {
            var a = args[i]
            var inline: String?
            if a.hasPrefix("--"), let eq = a.firstIndex(of: "=") {
                inline = String(a[a.index(after: eq)...])
                a = String(a[..<eq])
            }
            func v() throws -> String {
                if let inline { return inline }
                return try value(a)
            }
            switch a {
            case "--help", "-h":
                print(d.help, terminator: "")
                return nil
            case "--version":
                print("\(d.name) \(CohortKit.version)")
                return nil
            case "--config": o.configPath = try v()
            case "--as-of":
                let t = try v()
                guard Day(iso: t) != nil else {
                    throw UsageError(tool: d.name, message: "--as-of \"\(t)\" is not a date; write YYYY-MM-DD")
                }
                o.asOf = t
            case "--quiet", "-q": o.quiet = true
            case "--write-config-slice": o.configSlicePath = try v()
            case "--make-vars": o.makeVars = true
            case "--clean": o.clean = true
            // Hidden options for the end-to-end tests (not in --help): docs/stages.md#options-for-tests.
            case "--debug-part-min-bytes":
                let t = try v()
                guard let n = Int(t), n >= 1 else {
                    throw UsageError(tool: d.name, message: "\(a) takes a whole number of bytes from 1, not \"\(t)\"")
                }
                o.partMinimumBytes = n
            case "--debug-kill-after-renames":
                let t = try v()
                guard let n = Int(t), n >= 1 else {
                    throw UsageError(tool: d.name, message: "\(a) takes a whole number from 1, not \"\(t)\"")
                }
                o.killAfterRenames = n
            case "--threads":
                let t = try v()
                guard let n = Int(t), n >= 1, n <= 256 else {
                    throw UsageError(
                        tool: d.name, message: "--threads takes a whole number from 1 to 256, not \"\(t)\"")
                }
                o.threads = n
            default:
                if let s = d.settingFlags.first(where: { $0.flag == a }) {
                    let t = try v()
                    guard let n = Double(t), n.isFinite else {
                        throw UsageError(tool: d.name, message: "\(a) takes a number, not \"\(t)\"")
                    }
                    o.settings.append((s.key, n))
                } else if d.extraFlags.contains(where: { $0.flag == a }) {
                    o.flags.insert(a)
                } else {
                    let known =
                        [
                            "--config", "--as-of", "--quiet", "--threads", "--help", "--version", "--make-vars",
                            "--clean",
                        ] + d.extraFlags.map(\.flag)
                        + d.settingFlags.map(\.flag)
                    var msg = "unknown option \"\(args[i])\""
                    if let near = Levenshtein.closest(to: a, in: known) { msg += " (did you mean \(near)?)" }
                    throw UsageError(tool: d.name, message: msg)
                }
            }
            i += 1
        }
        return o
    }
}

/// Unbuffered writes to standard error.
public enum FileHandleStderr {
    public static func write(_ s: String) {
        var s = s
        s.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
