import '../page.css';
import './room.css';
import { mount, Page, pathId } from '../shell';

mount(
    <Page title="Viewer room">
        <p>Room {pathId()}</p>
    </Page>,
);
