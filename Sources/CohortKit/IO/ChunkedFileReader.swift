#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How many bytes a reader asks read(2) for at a time, into a buffer it reuses: small enough that
/// the kernel's copy lands in the core's own cache and the parse or hash that follows reads it
/// there. With buffers of 256 KiB and up the copy goes out to shared cache or memory: hashing a
/// 1.5 GB file from the page cache took three to four times the kernel time with a 1 MiB buffer
/// as with 128 KiB (0.55 s against 0.12 s of system time, the same run), and 64 KiB was no
/// faster than 128 KiB.
public enum ReadChunk {
    public static let bytes = 128 << 10
}

/// Reads a file in chunks of `ReadChunk.bytes` with `read(2)`, optionally feeding a running
/// SHA-256 so inputs are digested in the same pass that parses them.
public final class ChunkedFileReader {
    public let path: String
    private let fd: Int32
    public private(set) var bytesRead: Int = 0
    public var digest: SHA256?

    /// Bytes left to read when reading a range of the file (nil: to the end).
    private var remaining: Int?

    /// Reads the whole file, or only the bytes in `range` (a part of the file another reader
    /// handles the rest of).
    public init(path: String, computeDigest: Bool = false, range: Range<Int>? = nil) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            throw e == ENOENT
                ? InputError.missingFile(path: path)
                : InputError.cannotRead(path: path, reason: String(cString: strerror(e)))
        }
        if computeDigest { digest = SHA256() }
        if let range {
            remaining = range.count
            guard lseek(fd, off_t(range.lowerBound), SEEK_SET) == off_t(range.lowerBound) else {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw InputError.cannotRead(path: path, reason: reason)
            }
        }
    }

    deinit { close(fd) }

    /// Reads up to `max` bytes straight into `buffer`'s spare room (after its `count`), advancing
    /// its `count`; returns the count, 0 at end of file.
    public func read(into buffer: ByteBuffer, max: Int) throws -> Int {
        let max = remaining.map { Swift.min($0, max) } ?? max
        guard max > 0 else { return 0 }
        buffer.reserve(max)
        let target = buffer.base + buffer.count
        var got = 0
        while true {
            let n = Glibc.read(fd, target, max)
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError.cannotRead(path: path, reason: String(cString: strerror(errno)))
            }
            got = n
            break
        }
        guard got > 0 else { return 0 }
        buffer.count += got
        bytesRead += got
        if let r = remaining { remaining = r - got }
        digest?.update(UnsafeBufferPointer(start: target, count: got))
        return got
    }

    /// Reads the rest of the file `max` bytes at a time, calling `body` with each piece.
    public func forEachChunk(max: Int = ReadChunk.bytes, _ body: (UnsafeBufferPointer<UInt8>) -> Void) throws {
        let buffer = ByteBuffer(capacity: max)
        while try read(into: buffer, max: max) > 0 {
            body(buffer.written)
            buffer.removeAll()
        }
    }
}
