// Writes the seed corpus of wire_decode_fuzz: one small file per packet shape.
// Usage: make_wire_corpus <directory>   (the files in tests/fuzz/corpus/wire_decode came
// from `cmake --build build/fuzz --target make_wire_corpus` and running it there).

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "wire/codec.h"

namespace {

using barrage::wire::Operation;
using barrage::wire::ProtocolVersion;

// A heartbeat reply body: popularity 1 as a big-endian uint32 (it holds NULs, hence the size).
constexpr std::string_view kPopularityOne("\x00\x00\x00\x01", 4);

std::string packet(ProtocolVersion version, Operation operation, std::uint32_t sequence, std::string_view body) {
    std::string out;
    barrage::wire::append_packet(out, version, operation, sequence, body);
    return out;
}

std::vector<std::string> danmaku_bodies(int count) {
    std::vector<std::string> bodies;
    for (int i = 0; i < count; ++i) {
        bodies.push_back(R"({"cmd":"DANMU_MSG","info":[[0,1,25,16777215],"hi )" + std::to_string(i) +
                         R"(",[42,"viewer"]]})");
    }
    return bodies;
}

void write(const std::string& directory, const std::string& name, const std::string& bytes) {
    std::ofstream file(directory + "/" + name, std::ios::binary);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <directory>\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1];
    const auto bodies = danmaku_bodies(4);
    const std::string auth = packet(ProtocolVersion::control, Operation::auth, 1,
                                    R"({"uid":0,"roomid":1,"protover":3,"platform":"web","type":2})");
    const std::string heartbeat = packet(ProtocolVersion::control, Operation::heartbeat, 1, "{}");
    const std::string zlib_batch = encode_push_batch(bodies, ProtocolVersion::zlib);
    const std::string brotli_batch = encode_push_batch(bodies, ProtocolVersion::brotli);

    write(dir, "auth", auth);
    write(dir, "heartbeat", heartbeat);
    write(dir, "heartbeat_reply", packet(ProtocolVersion::control, Operation::heartbeat_reply, 0, kPopularityOne));
    write(dir, "auth_heartbeat", auth + heartbeat);
    write(dir, "multi_json", encode_push_batch(bodies, ProtocolVersion::json));
    write(dir, "zlib_batch", zlib_batch);
    write(dir, "brotli_batch", brotli_batch);
    write(dir, "mixed", zlib_batch + heartbeat + brotli_batch);
    write(dir, "truncated_body", auth.substr(0, auth.size() - 5));
    write(dir, "truncated_header", auth.substr(0, 9));
    write(dir, "truncated_zlib",
          packet(ProtocolVersion::zlib, Operation::message, 0,
                 barrage::wire::zlib_compress(std::string(200, 'a')).substr(0, 6)));
    // Bomb-ish: 1 MiB of zeros, over the fuzz target's 256 KiB inflation limit.
    const std::string zeros(1 << 20, '\0');
    write(dir, "zlib_bomb", packet(ProtocolVersion::zlib, Operation::message, 0, barrage::wire::zlib_compress(zeros)));
    write(dir, "brotli_bomb",
          packet(ProtocolVersion::brotli, Operation::message, 0, barrage::wire::brotli_compress(zeros)));
    write(dir, "nested",
          packet(ProtocolVersion::zlib, Operation::message, 0, barrage::wire::zlib_compress(brotli_batch)));
    return 0;
}
