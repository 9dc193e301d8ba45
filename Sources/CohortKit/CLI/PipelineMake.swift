import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `make` learns from the configuration, and `make clean`.
///
/// `make CONFIG=path/to/pipeline.json` runs `ingest --config … --make-vars`, which writes under
/// `work_dir/.config/`, each file only when its content changes (so its time stamp moves only
/// then): one slice of the resolved configuration per stage (as_of resolved for today), the
/// state of every configured source file (size, modification and status change times, inode, or "missing"), and
/// `make.mk` naming the folders, which the Makefile includes.
public enum PipelineMake {
    /// Characters GNU make cannot take in a file name it reads as a target or prerequisite (or in
    /// a line of `make.mk`): spaces and other blanks split names, `#` starts a comment, `%` makes
    /// a pattern, `*?[]` are wildcards, `:;=|` separate parts of a rule, `\` escapes, and `"`
    /// and `` ` `` would end or break the recipe's quoted text.
    static let makeSpecialCharacters: Set<Unicode.Scalar> = [
        " ", "\t", "\n", "\r", "#", "%", "*", "?", "[", "]", ":", ";", "=", "|", "\\", "\"", "`",
    ]

    /// Refuses, for `make` only, a `work_dir` or `reports_dir` whose resolved path holds a
    /// character make cannot handle in a file name (`makeSpecialCharacters`); the stage binaries
    /// run directly take any path. Source paths are not make's targets (their state is a file's
    /// content), so any is fine.
    public static func checkPathsForMake(_ config: PipelineConfig) throws {
        for (key, path) in [("work_dir", config.workDir), ("reports_dir", config.reportsDir)] {
            guard let c = path.unicodeScalars.first(where: { makeSpecialCharacters.contains($0) }) else { continue }
            let name: String
            switch c {
            case " ": name = "a space"
            case "\t": name = "a tab"
            case "\n", "\r": name = "a line break"
            default: name = "\"\(c)\""
            }
            throw ConfigError(
                file: config.file, keyPath: key,
                message: "the path \"\(path)\" holds \(name), which make cannot handle in a file name",
                hint:
                    "To run the pipeline with make, use a folder (and a project path) without spaces or any of # % * ? [ ] : ; = | \\ \" `; the stage binaries accept this path when run directly (ingest, normalize, cohort, churn-attribution, then report, each with --config)."
            )
        }
    }

    /// Writes the state files and returns the path of `make.mk`.
    public static func writeState(_ config: PipelineConfig) throws -> String {
        let state = PipelineFolders.stateDirectory(config)
        try PipelineFolders.create([], config: config, writer: "make")
        StaleTemporaries.remove(in: state)
        // Temporaries of a stage killed in an earlier run go now, whether or not the stage reruns.
        for stage in StageDescription.all { StaleTemporaries.remove(in: "\(config.workDir)/\(stage.name)") }
        StaleTemporaries.remove(in: config.reportsDir, onlyFor: Set(ReportStage.reportFiles))
        StaleTemporaries.remove(in: ReportHistory.directory(config.reportsDir))
        for stage in StageDescription.all {
            try StageCommand.writeConfigSlice(config.section(stage.configSections), to: "\(state)/\(stage.name).json")
        }
        try StageCommand.writeIfChanged(sourceState(config), to: "\(state)/sources.state")
        let reports = ReportStage.files(config).map { "\(config.reportsDir)/\($0)" }
        func esc(_ s: String) -> String { s.replacingDollars }
        let mk = """
            # What make needs to know about \(config.file), written by `--make-vars`; rewritten only on change.
            PIPELINE_WORK := \(esc(config.workDir))
            PIPELINE_REPORTS := \(esc(config.reportsDir))
            PIPELINE_STATE := \(esc(state))
            PIPELINE_REPORT_FILES := \(reports.map(esc).joined(separator: " "))
            PIPELINE_UNFINISHED := \(unfinishedStages(config).joined(separator: " "))

            """
        let path = "\(state)/make.mk"
        try StageCommand.writeIfChanged(mk, to: path)
        return path
    }

    /// The stages whose manifest does not match its outputs on disk (one missing, of another
    /// size, or newer than the manifest): a run stopped between its renames, or a hand edit; and
    /// the stages whose recorded inputs are not the outputs their upstream stages list now (a
    /// stage folder copied from another run keeps its times, so make would not see it).
    /// `make` treats them as not run.
    static func unfinishedStages(_ config: PipelineConfig) -> [String] {
        func mtime(_ path: String) -> (Int, Int)? {
            var st = stat()
            guard stat(path, &st) == 0 else { return nil }
            return (st.st_mtim.tv_sec, st.st_mtim.tv_nsec)
        }
        // Each manifest read once: a stage's lineage check asks for its producers' manifests once
        // per input it recorded (the report's name cohort's a dozen times).
        var manifests: [String: Manifest] = [:]
        for stage in StageDescription.all {
            manifests[stage.name] = try? Manifest.read(stage: stage.name, directory: "\(config.workDir)/\(stage.name)")
        }
        return StageDescription.all.map(\.name).filter { stage in
            guard let written = mtime("\(config.workDir)/\(stage)/\(Manifest.fileName(stage))") else { return false }
            guard let m = manifests[stage] else { return true }
            let changed = m.outputs.contains { o in
                let path = located(o.path, stage: stage, config)
                guard let t = mtime(path), let size = FilePaths.size(path) else { return true }
                return o.bytes.map { $0 != size } ?? true || t > written
            }
            // A stage rerun by hand with another setting (`--as-of`) recorded values the
            // configuration no longer gives: rerun it, or the next stage would refuse its outputs.
            return changed || (try? Lineage.check(m, manifestPath: "", against: config)) == nil
                || Lineage.mixedInput(of: m) { manifests[$0.name] } != nil
                || (stage == "ingest" && sourcesChangedSinceIngestRead(config))
                || (stage == "report" && !reportsAreRecorded(m, config))
        }
    }

    /// Where ingest keeps the state of the sources as it found them before reading them.
    static func ingestReadStatePath(_ config: PipelineConfig) -> String {
        "\(PipelineFolders.stateDirectory(config))/ingest.sources"
    }

    /// Records the sources' state `read` (taken before ingest read them), and the SHA-256 of the
    /// manifest ingest has just written, when make keeps state for this work_dir.
    static func recordIngestRead(_ read: String, manifestSHA256: String, _ config: PipelineConfig) throws {
        guard FilePaths.exists(PipelineFolders.stateDirectory(config)) else { return }
        try StageCommand.writeIfChanged(read + manifestLine(manifestSHA256), to: ingestReadStatePath(config))
    }

    /// The line naming the ingest manifest's SHA-256.
    static func manifestLine(_ sha256: String) -> String { "manifest\t\(sha256)\n" }

    /// The line naming the SHA-256 of the ingest manifest now in the work_dir ("" when absent).
    static func ingestManifestLine(_ config: PipelineConfig) -> String {
        manifestLine((try? SHA256.hex(ofFile: "\(config.workDir)/ingest/\(Manifest.fileName("ingest"))")) ?? "")
    }

    /// Whether a source changed after ingest last looked at it, or the ingest outputs are not the
    /// ones it wrote here (a folder copied in from a run on other data keeps a manifest that
    /// passes every other check: its sources, as it recorded them, are not these).
    /// `sources.state` is written by every `make` that reads the configuration, so one started
    /// while ingest ran (even `make -n`) records an edit made during the run and would hide it
    /// from the next; what ingest itself saw does not.
    static func sourcesChangedSinceIngestRead(_ config: PipelineConfig) -> Bool {
        guard let read = try? FilePaths.readAll(ingestReadStatePath(config)) else { return false }
        return read != Array((sourceState(config, paths: false) + ingestManifestLine(config)).utf8)
    }

    /// Whether each report file the report's manifest lists is, in the current reports_dir, the
    /// file it recorded (same bytes): after reports_dir is pointed elsewhere and back, the files
    /// there are an older run's, of plausible sizes and times. Report files are a few megabytes
    /// (tens for a long history): their SHA-256 costs milliseconds per make.
    static func reportsAreRecorded(_ m: Manifest, _ config: PipelineConfig) -> Bool {
        m.outputs.allSatisfy { o in o.sha256.isEmpty || isRecorded(o, at: located(o.path, stage: "report", config)) }
    }

    /// Whether the file at `path` is output `o` as its manifest recorded it (same SHA-256); false
    /// when the manifest recorded no digest or the file cannot be read. Only a regular file (a
    /// link followed) is read: the stages write no other kind, and in `reports_dir`, which is the
    /// user's too, a named pipe by an output's name would block make and `make clean` until
    /// something wrote to it.
    static func isRecorded(_ o: Manifest.Output, at path: String) -> Bool {
        !o.sha256.isEmpty && FilePaths.isRegularFileFollowingLinks(path)
            && (try? SHA256.hex(ofFile: path)) == o.sha256
    }

    /// Where an output a manifest recorded is for `config`. A manifest records paths relative to
    /// the configuration's folder (earlier versions: relative to the folder the stage ran from);
    /// the file is found by its place instead: a
    /// stage's file in its folder under `work_dir`, a report file or history file under
    /// `reports_dir`. Anything else is taken as recorded.
    static func located(_ recorded: String, stage: String, _ config: PipelineConfig) -> String {
        let (folder, name) = FilePaths.folderAndName(recorded)
        guard !name.isEmpty else { return recorded }
        if stage != "report" {
            return folder == stage ? "\(config.workDir)/\(stage)/\(name)" : recorded
        }
        if folder == "history" && ReportHistory.isFileName(name) { return "\(config.reportsDir)/history/\(name)" }
        return ReportStage.reportFiles.contains(name) ? "\(config.reportsDir)/\(name)" : recorded
    }

    /// One line per configured source: kind, path (unless `paths` is false: a path is spelled
    /// from the folder the process ran in), and size, modification and status change times and inode, or "missing".
    /// Editing, appending to, replacing, deleting or adding a file changes it.
    static func sourceState(_ config: PipelineConfig, paths: Bool = true) -> String {
        var out = ""
        for kind in PipelineConfig.SourceKind.allCases {
            guard let s = config.sources[kind] else { continue }
            // The path as the configuration writes it (relative to its folder), so that the same
            // configuration named from another folder finds the same state.
            let name = paths ? "\(kind.rawValue)\t\(config.recordedPath(s.path))" : kind.rawValue
            out += "\(name)\t\(FilePaths.state(s.path))\n"
        }
        return out
    }

    /// Removes what the pipeline wrote for `config`: each stage's outputs and manifest, their
    /// temporaries, the reports its manifest lists, the state files, and the folders the pipeline
    /// created once they are empty. Prints each path removed. `reports_dir` may hold the user's
    /// files too: a report file is removed only while it is the one the report's manifest
    /// recorded (by SHA-256), a history file only while it reads as a run's history record; an
    /// edited one is kept and named.
    public static func clean(_ config: PipelineConfig) {
        var removed: [String] = []
        var keptFiles: [String] = []
        func remove(_ path: String) {
            if unlink(path) == 0 { removed.append(path) }
        }
        var recordedHistory: Set<String> = []
        for stage in StageDescription.all {
            let dir = "\(config.workDir)/\(stage.name)"
            var files = stage.writes.map(\.file)
            if stage.name == "report" { files = [] }
            if let m = try? Manifest.read(stage: stage.name, directory: dir) {
                let reportFiles = Set(ReportStage.reportFiles.map { "\(config.reportsDir)/\($0)" })
                let allowed = Set(files.map { "\(dir)/\($0)" })
                for o in m.outputs {
                    let path = located(o.path, stage: stage.name, config)
                    if allowed.contains(path) {
                        remove(path)
                    } else if reportFiles.contains(path) {
                        if isRecorded(o, at: path) {
                            remove(path)
                        } else if FilePaths.exists(path) {
                            keptFiles.append(path)
                        }
                    } else if stage.name == "report", isRecorded(o, at: path) {
                        recordedHistory.insert(path)
                    }
                }
            }
            for f in files { remove("\(dir)/\(f)") }
            remove("\(dir)/\(Manifest.fileName(stage.name))")
            removed += StaleTemporaries.remove(in: dir, onlyFor: Set(files + [Manifest.fileName(stage.name)]))
        }
        removed += StaleTemporaries.remove(in: config.reportsDir, onlyFor: Set(ReportStage.reportFiles))
        // The run history the report keeps (`history/<as_of>.json`): cleaning starts afresh.
        let history = ReportHistory.directory(config.reportsDir)
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: history)) ?? []).sorted()
        where ReportHistory.isFileName(name) {
            let path = "\(history)/\(name)"
            if recordedHistory.contains(path)
                || ReportHistory.isRecord(at: path, workDir: config.recordedPath(config.workDir))
            {
                remove(path)
            } else {
                keptFiles.append(path)
            }
        }
        removed += StaleTemporaries.remove(in: history)
        if rmdir(history) == 0 { removed.append(history + "/") }
        let state = PipelineFolders.stateDirectory(config)
        let folders = PipelineFolders.recorded(config)
        for stage in StageDescription.all {
            remove("\(state)/\(stage.name).json")
            remove("\(state)/\(stage.name).stamp")
            remove("\(state)/folders.\(stage.name)")
        }
        for f in ["sources.state", "ingest.sources", "make.mk", "folders.make"] { remove("\(state)/\(f)") }
        removed += StaleTemporaries.remove(in: state)
        var keptFolders: [String] = []
        for dir in folders.sorted(by: { ($0.split(separator: "/").count, $0) > ($1.split(separator: "/").count, $1) }) {
            if rmdir(dir) == 0 {
                removed.append(dir + "/")
            } else if FilePaths.exists(dir) {
                keptFolders.append(dir)
            }
        }
        for r in removed { print("removed \(r)") }
        var summary =
            removed.isEmpty
            ? "clean: nothing to remove"
            : "clean: removed \(removed.count { !$0.hasSuffix("/") }) files and \(removed.count { $0.hasSuffix("/") }) folders"
        if !keptFiles.isEmpty {
            summary +=
                "; kept \(keptFiles.sorted().joined(separator: ", ")) (not as the pipeline wrote it: changed since, or a file of yours)"
        }
        if !keptFolders.isEmpty {
            summary += "; kept \(keptFolders.sorted().joined(separator: ", ")) (other files are in it)"
        }
        print(summary)
    }
}

extension String {
    /// The text with `$` doubled, for a make variable.
    var replacingDollars: String { split(separator: "$", omittingEmptySubsequences: false).joined(separator: "$$") }
}
