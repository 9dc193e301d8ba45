import CFileIO
import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a file atomically: bytes go to a temporary file in the same folder, which is renamed
/// over the destination only by `commit()` (or `finish()` then `rename()`, for a set of files).
/// A crash, a signal or a thrown error leaves the old file intact and no half-written file that
/// the next stage or `make` could take as fresh.
///
/// The SHA-256, XXH64 and size of what was written are known when it is finished: each flushed
/// buffer is hashed as it goes, on a background queue when `digest` is `.background`.
public final class AtomicFileWriter {
    public let path: String
    public let tempPath: String
    private var fd: Int32
    /// Bytes not yet written out (a `ByteBuffer`; handed to the hasher whole when flushed).
    private var buffer: ByteBuffer
    private let flushThreshold = 1 << 20
    public private(set) var bytesWritten: Int = 0
    private var finished = false
    private var closed = false
    private let cleanupSlot: SignalCleanup.Token?
    private let hasher: BufferHasher
    /// SHA-256 (hex) of the file, set by `finish()`.
    public private(set) var sha256 = ""
    /// XXH64 (hex) of the file, set by `finish()` (the check the next stage makes).
    public private(set) var xxh64 = ""

    public init(path: String, digest: DigestMode = .inline) throws {
        self.path = path
        let dir = FilePaths.directory(of: path)
        try FilePaths.createDirectory(dir)
        tempPath = "\(dir)/.\(FilePaths.basename(of: path)).tmp-\(getpid())"
        cleanupSlot = SignalCleanup.register(tempPath)
        fd = open(tempPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            SignalCleanup.unregister(cleanupSlot)
            throw InputError.cannotWrite(path: path, reason: reason)
        }
        hasher = BufferHasher(background: digest == .background)
        buffer = ByteBuffer(capacity: flushThreshold + 65536)
    }

    deinit {
        if !finished {
            if !closed { close(fd) }
            unlink(tempPath)
            SignalCleanup.unregister(cleanupSlot)
        }
    }

    @inlinable public func write<C: Collection>(_ bytes: C) throws where C.Element == UInt8 {
        appendToBuffer(bytes)
        if pendingCount >= flushThresholdValue { try flush() }
    }

    public func write(_ text: String) throws { try write(Array(text.utf8)) }

    @usableFromInline var pendingCount: Int { buffer.count }
    @usableFromInline var flushThresholdValue: Int { flushThreshold }
    @usableFromInline func appendToBuffer<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        buffer.append(contentsOf: bytes)
    }

    /// Writes out the buffer and hands it to the hasher.
    public func flush() throws {
        guard buffer.count > 0 else { return }
        var offset = 0
        while offset < buffer.count {
            let n = Glibc.write(fd, buffer.base + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw AtomicFileWriter.writeError(path: path, errno: errno)
            }
            offset += n
        }
        bytesWritten += buffer.count
        hasher.add(buffer)
        // The background hasher keeps the full buffer until it has hashed it: write on in a new one.
        if hasher.background {
            buffer = ByteBuffer(capacity: flushThreshold + 65536)
        } else {
            buffer.removeAll()
        }
    }

    /// A write error naming the file, with what to do for a full disk or a file-size limit.
    static func writeError(path: String, errno code: Int32) -> InputError {
        let reason = String(cString: strerror(code))
        switch code {
        case EFBIG:
            return .cannotWrite(
                path: path,
                reason:
                    "\(reason): the file-size limit (ulimit -f) is smaller than this output; previous outputs are unchanged"
            )
        case ENOSPC, EDQUOT:
            return .cannotWrite(path: path, reason: "\(reason): the disk is full; previous outputs are unchanged")
        default: return .cannotWrite(path: path, reason: reason)
        }
    }

    /// Flushes and closes the temporary file and computes its digest; `rename()` puts it in place.
    public func finish() throws {
        guard !closed else { return }
        try flush()
        closed = true
        if close(fd) != 0 && errno != EINTR { throw AtomicFileWriter.writeError(path: path, errno: errno) }
        (sha256, xxh64) = hasher.finalizeHex()
    }

    /// Puts the finished temporary file in place of the destination, atomically.
    ///
    /// A large file replacing a previous output is swapped with it (`renameat2` with
    /// `RENAME_EXCHANGE`, Linux) and the previous one, now under the temporary name, removed: a
    /// plain `rename` over an existing file makes ext4 write the whole new file to disk before
    /// the call returns, which cost large stages a tenth of their time. Readers see the old file
    /// or the new one, never a partial one, either way; see docs/stages.md#atomic-outputs for what
    /// that means after a power failure. Where the swap is not possible (no previous output,
    /// another system or file system) the temporary file is renamed.
    public func rename() throws {
        try finish()
        guard !finished else { return }
        if bytesWritten >= Self.exchangeFrom, FilePaths.isRegularFile(path), cfileio_exchange(tempPath, path) == 0 {
            unlink(tempPath)
        } else {
            guard Glibc.rename(tempPath, path) == 0 else {
                let reason = String(cString: strerror(errno))
                throw InputError.cannotWrite(path: path, reason: reason)
            }
        }
        finished = true
        SignalCleanup.unregister(cleanupSlot)
    }

    /// The size from which `rename()` swaps a file into place rather than renaming it over the
    /// previous one (smaller files are written out quickly either way).
    static let exchangeFrom = 8 << 20

    /// Flushes, closes and renames the temporary file over the destination.
    public func commit() throws {
        try finish()
        try rename()
    }

    /// Abandons the output: the destination keeps its previous content.
    public func discard() {
        guard !finished else { return }
        finished = true
        if !closed { close(fd) }
        closed = true
        unlink(tempPath)
        SignalCleanup.unregister(cleanupSlot)
    }

    /// Writes a whole file atomically.
    public static func write(_ text: String, to path: String) throws {
        let w = try AtomicFileWriter(path: path)
        try w.write(Array(text.utf8))
        try w.commit()
    }
}

/// SHA-256 and XXH64 over the buffers a writer flushes, in order, on one serial queue (or inline).
final class BufferHasher: @unchecked Sendable {
    let background: Bool
    private var sha = SHA256()
    private var xxh = XXH64()
    private let queue = DispatchQueue(label: "cohort.output-digest")
    /// At most a few buffers wait for hashing, so memory stays bounded if hashing falls behind.
    private let inFlight = DispatchSemaphore(value: 4)

    init(background: Bool) { self.background = background }

    /// Hashes the bytes of `chunk`; in the background, the writer no longer touches `chunk`.
    func add(_ chunk: ByteBuffer) {
        guard background else {
            sha.update(chunk.written)
            xxh.update(chunk.written)
            return
        }
        inFlight.wait()
        queue.async { [self] in
            sha.update(chunk.written)
            xxh.update(chunk.written)
            inFlight.signal()
        }
    }

    /// Both digests as lowercase hex, once every buffer has been hashed.
    func finalizeHex() -> (sha256: String, xxh64: String) {
        if background { queue.sync {} }
        return (sha.finalizeHex(), xxh.finalizeHex())
    }
}

/// Small path and file-system helpers over POSIX calls.
public enum FilePaths {
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    public static func basename(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// The last two components of a path: the name of the folder holding the file (nil for a
    /// bare name) and the file's name. `work/cohort/triangle.jsonl` → ("cohort", "triangle.jsonl").
    /// Manifests record paths relative to the configuration's folder (earlier versions: to the folder
    /// the stage ran in); stage outputs are matched by these two, whichever.
    public static func folderAndName(_ path: String) -> (folder: String?, name: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        let name = parts.last.map(String.init) ?? ""
        return (parts.count >= 2 ? String(parts[parts.count - 2]) : nil, name)
    }

    /// Joins a folder and a relative path; an absolute `rel` stands alone.
    public static func join(_ dir: String, _ rel: String) -> String {
        if rel.hasPrefix("/") || dir.isEmpty || dir == "." { return rel }
        return dir.hasSuffix("/") ? dir + rel : dir + "/" + rel
    }

    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// Whether `path` is a regular file itself (not a folder, a link or missing). `rename()` swaps
    /// away only such a file, a previous output; anything else gets `rename`'s answer.
    public static func isRegularFile(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    /// Whether `path` is a folder (links followed).
    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// What `path` is (links followed) when it exists and is neither a regular file nor a folder:
    /// "a named pipe (FIFO)", "a character device" and so on; nil otherwise.
    public static func specialFileKind(_ path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFREG, S_IFDIR: return nil
        default: return kind(mode: st.st_mode)
        }
    }

    /// What a file whose `st_mode` is `mode` is, as a message names it: "a regular file",
    /// "a folder", "a named pipe (FIFO)", "a character device" and so on.
    public static func kind(mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: return "a regular file"
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a named pipe (FIFO)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "a special file"
        }
    }

    /// Whether `path` is a regular file once symbolic links are followed (`isRegularFile` does not
    /// follow them): the only kind whose reading ends by itself. Opening a named pipe blocks until
    /// something writes to it, and a device such as /dev/zero never ends.
    public static func isRegularFileFollowingLinks(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    public static func size(_ path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int(st.st_size)
    }

    /// A file's size, modification time, status change time and inode, or "missing": what
    /// editing, appending to, replacing or deleting it changes. The status change time is the
    /// kernel's own clock: an edit that keeps the size and puts the modification time back
    /// (`touch -d`, `touch -r`, a tool that preserves times) still moves it, as do `chmod` and
    /// `chown` (a harmless rerun).
    public static func state(_ path: String) -> String {
        var st = stat()
        guard stat(path, &st) == 0 else { return "missing" }
        return
            "\(st.st_size)\t\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)\t\(st.st_ctim.tv_sec).\(st.st_ctim.tv_nsec)\t\(st.st_ino)"
    }

    /// `mkdir -p`.
    public static func createDirectory(_ dir: String) throws {
        if dir.isEmpty || exists(dir) { return }
        let parent = directory(of: dir)
        if parent != dir { try createDirectory(parent) }
        if mkdir(dir, 0o755) != 0, errno != EEXIST {
            throw InputError.cannotWrite(path: dir, reason: String(cString: strerror(errno)))
        }
    }

    /// Reads a whole (small) file: configs, manifests. With `limit`, stops after `limit + 1`
    /// bytes (so a caller sees that the file is over the limit without reading all of it, even
    /// from a device such as /dev/zero).
    public static func readAll(_ path: String, limit: Int? = nil) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError.cannotRead(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        return try readAll(fd: fd, path: path, limit: limit)
    }

    /// Why `readRegularFile` did not read a file.
    public enum RegularFileRefusal: Error, Equatable {
        /// Not a regular file once symbolic links are followed: what it is (`kind(mode:)`).
        case notRegular(kind: String)
        /// Larger than the limit: its size in bytes.
        case tooLarge(bytes: Int)
        /// Missing, or it could not be opened or read: the system's reason.
        case unreadable(reason: String)
    }

    /// Reads a whole regular file (symbolic links followed) of at most `limit` bytes, and nothing
    /// else, for files a user's folder may hold anything under the name of (the report's run
    /// history): a named pipe would block the open, and the process, until something writes to
    /// it, and a device such as /dev/zero never ends. The type and size are checked before the
    /// open, so no device is opened, and again on the descriptor, opened non-blocking, so a pipe
    /// put in the file's place meanwhile cannot block it either; a file that grows past `limit`
    /// while it is read is refused too.
    public static func readRegularFile(_ path: String, limit: Int) -> Result<[UInt8], RegularFileRefusal> {
        func reason() -> RegularFileRefusal { .unreadable(reason: String(cString: strerror(errno))) }
        var st = stat()
        guard stat(path, &st) == 0 else { return .failure(reason()) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { return .failure(.notRegular(kind: kind(mode: st.st_mode))) }
        guard Int(st.st_size) <= limit else { return .failure(.tooLarge(bytes: Int(st.st_size))) }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return .failure(reason()) }
        defer { close(fd) }
        guard fstat(fd, &st) == 0 else { return .failure(reason()) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { return .failure(.notRegular(kind: kind(mode: st.st_mode))) }
        let bytes: [UInt8]
        do {
            bytes = try readAll(fd: fd, path: path, limit: limit)
        } catch InputError.cannotRead(_, let why) {
            return .failure(.unreadable(reason: why))
        } catch {
            return .failure(.unreadable(reason: "\(error)"))
        }
        guard bytes.count <= limit else {
            return .failure(.tooLarge(bytes: fstat(fd, &st) == 0 ? max(Int(st.st_size), bytes.count) : bytes.count))
        }
        return .success(bytes)
    }

    /// Reads the open file `fd` (named `path` in errors) to its end, or to `limit + 1` bytes.
    private static func readAll(fd: Int32, path: String, limit: Int?) throws -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while limit.map({ out.count <= $0 }) ?? true {
            let want = limit.map { min(chunk.count, $0 + 1 - out.count) } ?? chunk.count
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, want) }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError.cannotRead(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }
}
