import { CalendarFeedController, CalendarFeedFileController, CalendarFeedService } from './calendar-feed';
import {
  ConsoleLists,
  ConsoleListsController,
  ReferralStepsController,
  ReferralStepsReader,
} from './console-lists';
import { ConsolePage, ConsolePageController } from './console-page.controller';

/** The staff console (pages and its few lists) and the mediators' calendar feed, registered in AppModule. */
export const CONSOLE_CONTROLLERS = [
  ConsolePageController,
  ConsoleListsController,
  ReferralStepsController,
  CalendarFeedController,
  CalendarFeedFileController,
];
export const CONSOLE_PROVIDERS = [ConsolePage, ConsoleLists, ReferralStepsReader, CalendarFeedService];
