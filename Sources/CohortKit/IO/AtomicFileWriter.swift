#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file atomically: bytes go to a temporary file in the same folder, which is renamed
/// over the destination only by `commit()`. A crash or a thrown error leaves the old file intact
/// and no half-written file that the next stage or `make` could take as fresh.
public final class AtomicFileWriter {
    public let path: String
    private let tempPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let flushThreshold = 1 << 20
    public private(set) var bytesWritten: Int = 0
    private var finished = false

    public init(path: String) throws {
        self.path = path
        let dir = FilePaths.directory(of: path)
        try FilePaths.createDirectory(dir)
        tempPath = "\(dir)/.\(FilePaths.basename(of: path)).tmp-\(getpid())"
        fd = open(tempPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw InputError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        buffer.reserveCapacity(flushThreshold + 65536)
    }

    deinit {
        if !finished {
            close(fd)
            unlink(tempPath)
        }
    }

    @inlinable public func write<C: Collection>(_ bytes: C) throws where C.Element == UInt8 {
        appendToBuffer(bytes)
        if pendingCount >= flushThresholdValue { try flush() }
    }

    public func write(_ text: String) throws { try write(Array(text.utf8)) }

    @usableFromInline var pendingCount: Int { buffer.count }
    @usableFromInline var flushThresholdValue: Int { flushThreshold }
    @usableFromInline func appendToBuffer<C: Collection>(_ bytes: C) where C.Element == UInt8 { buffer.append(contentsOf: bytes) }

    /// Writes out the buffer.
    public func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
            offset += n
        }
        bytesWritten += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, closes and renames the temporary file over the destination.
    public func commit() throws {
        try flush()
        finished = true
        close(fd)
        guard rename(tempPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tempPath)
            throw InputError.cannotWrite(path: path, reason: reason)
        }
    }

    /// Abandons the output: the destination keeps its previous content.
    public func discard() {
        guard !finished else { return }
        finished = true
        close(fd)
        unlink(tempPath)
    }

    /// Writes a whole file atomically.
    public static func write(_ text: String, to path: String) throws {
        let w = try AtomicFileWriter(path: path)
        try w.write(Array(text.utf8))
        try w.commit()
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

    /// Joins a folder and a relative path; an absolute `rel` stands alone.
    public static func join(_ dir: String, _ rel: String) -> String {
        if rel.hasPrefix("/") || dir.isEmpty || dir == "." { return rel }
        return dir.hasSuffix("/") ? dir + rel : dir + "/" + rel
    }

    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    public static func size(_ path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int(st.st_size)
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

    /// Reads a whole (small) file: configs, manifests.
    public static func readAll(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError.cannotRead(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
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
