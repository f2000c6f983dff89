import '../page.css';
import './dashboard.css';
import { mount, Page } from '../shell';

mount(
    <Page title="Operator dashboard">
        <p>Coming soon.</p>
    </Page>,
);
