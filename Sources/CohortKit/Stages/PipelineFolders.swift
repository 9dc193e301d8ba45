#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The folders the pipeline created, so `make clean` removes those (when empty) and never a
/// folder that was there before.
///
/// Each writer records the folders it had to create in its own list under
/// `work_dir/.config/folders.<writer>` (one list per writer: cohort and churn-attribution run at
/// the same time).
public enum PipelineFolders {
    /// The state folder under `work_dir` (config slices, source state, folder lists).
    public static func stateDirectory(_ config: PipelineConfig) -> String { "\(config.workDir)/.config" }

    /// Creates `dirs` (and their missing parents), recording each folder created in `writer`'s list.
    public static func create(_ dirs: [String], config: PipelineConfig, writer: String) throws {
        let state = stateDirectory(config)
        var created: [String] = []
        for dir in [state] + dirs { created += try createMissing(dir) }
        guard !created.isEmpty else { return }
        let list = "\(state)/folders.\(writer)"
        let old =
            (try? FilePaths.readAll(list)).map {
                String(decoding: $0, as: UTF8.self).split(separator: "\n").map(String.init)
            } ?? []
        // Recorded relative to the configuration's folder, so that `--clean` run from another
        // folder (or with --config spelled otherwise) finds them.
        var all = old
        for c in created.map(config.recordedPath) where !all.contains(c) { all.append(c) }
        try AtomicFileWriter.write(all.map { $0 + "\n" }.joined(), to: list)
    }

    /// Every folder recorded by any writer, as paths from the current folder.
    public static func recorded(_ config: PipelineConfig) -> [String] {
        let state = stateDirectory(config)
        let base = FilePaths.directory(of: config.file)
        var out: [String] = []
        for writer in StageDescription.all.map(\.name) + ["make"] {
            guard let bytes = try? FilePaths.readAll("\(state)/folders.\(writer)") else { continue }
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
                // Earlier versions recorded the folders from the folder make ran in: such a line
                // names an existing folder as written, where joined to the config's folder it may not.
                let joined = FilePaths.join(base, String(line))
                let path = !FilePaths.exists(joined) && FilePaths.exists(String(line)) ? String(line) : joined
                if !out.contains(path) { out.append(path) }
            }
        }
        return out
    }

    /// `mkdir -p`, returning the folders it made, outermost first.
    static func createMissing(_ dir: String) throws -> [String] {
        var missing: [String] = []
        var d = dir
        while !d.isEmpty, d != "/", d != ".", !FilePaths.exists(d) {
            missing.insert(d, at: 0)
            let parent = FilePaths.directory(of: d)
            if parent == d { break }
            d = parent
        }
        var made: [String] = []
        for m in missing {
            if mkdir(m, 0o755) == 0 {
                made.append(m)
            } else if errno != EEXIST {
                throw InputError.cannotWrite(path: m, reason: String(cString: strerror(errno)))
            }
        }
        return made
    }
}
