// How a section tells the console what happened: a failure goes to the one error bar
// (data-testid="console-error"), a success to the notice line; both are rendered as text.
import type { ApiError } from '../../live/api_client';
import { describeError } from '../../console/errors';

export interface Reporter {
    fail(section: string, problem: ApiError | string): void;
    done(section: string, text: string): void;
}

export function reportLine(section: string, problem: ApiError | string): string {
    return `${section}: ${typeof problem === 'string' ? problem : describeError(problem)}`;
}
