#include "loadgen/dialogue.h"

namespace barrage::loadgen {

std::unique_ptr<Dialogue> make_dialogue(const DialogueConfig& config) {
    switch (config.target) {
        case Target::barrage: return make_barrage_dialogue(config);
        case Target::nats: return make_nats_dialogue();
        case Target::ws: return make_text_broadcast_dialogue();
    }
    return make_text_broadcast_dialogue();
}

}  // namespace barrage::loadgen
