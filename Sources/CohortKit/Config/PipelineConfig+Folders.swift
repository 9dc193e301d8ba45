#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension PipelineConfig {
    /// The folders under `work_dir` the pipeline writes into: one per stage, and `.config` (the
    /// state `make` reads).
    static var stageFolderNames: [String] { StageDescription.all.map(\.name) + [".config"] }

    /// Refuses a layout in which the pipeline would write over its own inputs or trip `make`: a
    /// source inside a stage folder of `work_dir` or named as a report file in `reports_dir`
    /// (a run would replace it, `--clean` delete it), `reports_dir` in a stage folder (`make`
    /// would take the reports for that stage's outputs and rerun every stage), and `reports_dir`
    /// equal to `work_dir`. Paths are compared absolute, with `.` and `..` removed and symbolic
    /// links in the part that exists resolved, the stage folders' own included.
    func checkFolders() throws {
        let work = PipelineConfig.canonicalPath(workDir)
        let reports = PipelineConfig.canonicalPath(reportsDir)
        // Each folder as it resolves: a stage folder that is a link to the sources' folder is that folder.
        let stageFolders = PipelineConfig.stageFolderNames.map {
            (name: $0, path: PipelineConfig.canonicalPath(work == "/" ? "/\($0)" : "\(work)/\($0)"))
        }
        func inside(_ path: String, _ folder: String) -> Bool { path.hasPrefix(folder == "/" ? "/" : folder + "/") }
        let folderList = PipelineConfig.stageFolderNames.joined(separator: ", ")
        for kind in SourceKind.allCases {
            guard let source = sources[kind] else { continue }
            let written = writtenPaths[kind] ?? source.path
            let path = PipelineConfig.canonicalPath(source.path)
            if let folder = stageFolders.first(where: { inside(path, $0.path) }) {
                let whose =
                    folder.name == ".config"
                    ? "where the pipeline keeps the state make reads"
                    : "where the \(folder.name) stage writes its outputs"
                throw ConfigError(
                    file: file, keyPath: "sources.\(kind.rawValue).path",
                    message:
                        "\"\(written)\" is inside \(folder.path) (work_dir's \(folder.name) folder), \(whose): a run would overwrite the file and --clean (make clean) would delete it",
                    hint:
                        "Keep source files outside work_dir's folders \(folderList), for example in a raw/ folder beside the configuration, or set work_dir to another folder."
                )
            }
            let history = "\(reports)/history"
            if (FilePaths.directory(of: path) == reports
                && ReportStage.reportFiles.contains(FilePaths.basename(of: path)))
                || (FilePaths.directory(of: path) == history && ReportHistory.isFileName(FilePaths.basename(of: path)))
            {
                throw ConfigError(
                    file: file, keyPath: "sources.\(kind.rawValue).path",
                    message:
                        "\"\(written)\" is \(path), a file the report stage writes in reports_dir: a run would overwrite it and --clean (make clean) would delete it",
                    hint: "Move or rename the source file, or set reports_dir to another folder.")
            }
        }
        if reports == work {
            throw ConfigError(
                file: file, keyPath: "reports_dir",
                message: "\(reportsDir) is the same folder as work_dir (\(workDir))",
                hint: "Give the reports their own folder, such as \"reports\" (the default).")
        }
        if let folder = stageFolders.first(where: { reports == $0.path || inside(reports, $0.path) }) {
            throw ConfigError(
                file: file, keyPath: "reports_dir",
                message:
                    "\(reportsDir) is in \(folder.path) (work_dir's \(folder.name) folder): make would take the reports for that folder's files and rerun every stage each time",
                hint:
                    "Use a folder outside work_dir's folders \(folderList), such as \"reports\" (the default).")
        }
    }

    /// A path as manifests and reports record it, the same whichever folder the stage ran from and
    /// however `--config` was spelled: relative to the configuration's folder when inside it
    /// (`data/work/ingest/customers.jsonl`, `.` for the folder itself), else absolute; `.`, `..`
    /// and repeated slashes removed, symbolic links not resolved.
    public func recordedPath(_ path: String) -> String {
        let target = PipelineConfig.lexicalComponents(path)
        let base = PipelineConfig.lexicalComponents(FilePaths.directory(of: file))
        guard target.starts(with: base) else { return "/" + target.joined(separator: "/") }
        let rest = target.dropFirst(base.count)
        return rest.isEmpty ? "." : rest.joined(separator: "/")
    }

    /// The components of `path` made absolute against the current folder, with `.`, `..` and
    /// repeated slashes removed (lexically: links are not followed).
    static func lexicalComponents(_ path: String) -> [Substring] {
        var absolute = path
        if !absolute.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let cwd = getcwd(&buffer, buffer.count).map { String(cString: $0) } ?? "/"
            absolute = cwd + "/" + absolute
        }
        var parts: [Substring] = []
        for part in absolute.split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                _ = parts.popLast()
            } else {
                parts.append(part)
            }
        }
        return parts
    }

    /// `path` made absolute (against the current folder), with `.`, `..` and repeated slashes
    /// removed, and its longest existing leading part put through `realpath` (symbolic links
    /// resolved), so two spellings of one file compare equal.
    static func canonicalPath(_ path: String) -> String {
        let parts = lexicalComponents(path)
        var n = parts.count
        while n > 0 {
            let prefix = "/" + parts[0..<n].joined(separator: "/")
            if let r = realpath(prefix, nil) {
                let real = String(cString: r)
                free(r)
                let rest = parts[n...].joined(separator: "/")
                return rest.isEmpty ? real : (real == "/" ? "/" : real + "/") + rest
            }
            n -= 1
        }
        return "/" + parts.joined(separator: "/")
    }
}
