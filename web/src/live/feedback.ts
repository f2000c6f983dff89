// The feedback channel between streamers and game developers (docs/open-platform.md,
// "Feedback between streamers and developers"): a report as the server answers it.
export interface FeedbackEntry {
    readonly id: number;
    readonly app_id: number;
    readonly room: number;
    readonly reporter: number;
    readonly text: string;
    readonly created_ms: number;
    readonly answer: string; // "" until the developer answers
    readonly answered_ms: number;
}
export interface FeedbackPage {
    readonly feedback: readonly FeedbackEntry[];
}
