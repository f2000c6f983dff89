// The gift presenter library (seed 003) for Barrage's overlay and viewer pages.
export { systemClock, type Clock, type TimerHandle } from "./clock.js";
export { FakeClock } from "./fake_clock.js";
export { giftEventProblem, type GiftEvent } from "./gift_event.js";
export { Presenter, kDefaultPresenterOptions, type PresenterOptions, type PushOutcome } from "./presenter.js";
export { giftEventFromNative, giftEventFromWeb } from "./server_messages.js";
export type {
    AnimationChange,
    AnimationView,
    BannerChange,
    BannerView,
    Lane,
    LaneSnapshot,
    PresenterOutput,
    PresenterSnapshot,
} from "./views.js";
