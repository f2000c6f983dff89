import '../page.css';
import './room.css';
import { mount, pathId } from '../shell';
import { RoomPage } from './room_page';

const room = Number(pathId());
mount(<RoomPage room={Number.isSafeInteger(room) && room > 0 ? room : 1} />);
