// What every page shares until its own contents arrive: a preact root in the shell's
// <div id="root"> (dist/<page>.html, written by scripts/build.mjs) that says which page it is.
import { render, type ComponentChildren, type VNode } from 'preact';

export interface PageProps {
    title: string;
    children?: ComponentChildren;
}

export function Page({ title, children }: PageProps) {
    return (
        <main class="page">
            <h1>{title}</h1>
            {children}
        </main>
    );
}

// Renders `page` into the shell's root; a shell without one is a build bug, said loudly.
export function mount(page: VNode): void {
    const root = document.getElementById('root');
    if (root === null) {
        throw new Error('the page shell has no #root');
    }
    render(page, root);
}

// The last path segment of /room/{id} or /overlay/{id}, as text (rendered as text, never HTML).
export function pathId(): string {
    const parts = window.location.pathname.split('/').filter((part) => part !== '');
    return parts[parts.length - 1] ?? '';
}
